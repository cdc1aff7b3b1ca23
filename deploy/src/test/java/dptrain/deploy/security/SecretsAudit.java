package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that a run gave none of its TLS secrets away: no key-store password from any host's
 * folder, and none of a key store's bytes (raw or in Base64), in any file of the run folder (its
 * config.conf, metrics, report, the nodes' collected logs) or in what the commands printed.
 */
public final class SecretsAudit {
  private SecretsAudit() {}

  /** {@code certs}: the folder 'dptrain certs' wrote (one sub-folder per host); {@code printed}: the commands' output. */
  public static void assertNoSecretsIn(Path runDir, Path certs, String... printed) throws IOException {
    List<String> secrets = new ArrayList<>();
    try (Stream<Path> files = Files.walk(certs)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.equals(ClusterCertificates.PASSWORD)) {
          secrets.add(Files.readString(file).trim());
        } else if (name.endsWith(".p12")) {
          byte[] store = Files.readAllBytes(file); // its middle: encrypted bytes, unlike the header every store shares
          secrets.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(store, store.length / 2, store.length / 2 + 48)));
          secrets.add(new String(store, store.length / 2, 32, StandardCharsets.ISO_8859_1));
        }
      }
    }
    assertThat(secrets).as("the certificates' secrets").isNotEmpty().allMatch(s -> s.length() >= 16);
    List<String> where = new ArrayList<>();
    try (Stream<Path> files = Files.walk(runDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        // Latin-1 reads any bytes: a secret in a binary file (params.npy, a checkpoint) is found too.
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        secrets.stream().filter(text::contains).forEach(s -> where.add(runDir.relativize(file).toString()));
      }
    }
    for (int i = 0; i < printed.length; i++) {
      String text = printed[i];
      int index = i;
      secrets.stream().filter(text::contains).forEach(s -> where.add("printed output " + index));
    }
    assertThat(where).as("files or output holding a secret").isEmpty();
  }
}
