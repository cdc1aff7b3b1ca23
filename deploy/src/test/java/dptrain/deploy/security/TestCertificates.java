package dptrain.deploy.security;

import dptrain.deploy.launch.HostsFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Certificate folders for tests: every host on 127.0.0.1, one port each. */
public final class TestCertificates {
  private TestCertificates() {}

  public static Path issue(Path out, String... names) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      lines.append(names[i]).append(" 127.0.0.1 ").append(i == 0 ? "coordinator,ps" : "worker,ps").append(" port=")
          .append(26000 + i).append('\n');
    }
    new ClusterCertificates(out, Clock.systemUTC(), Duration.ofDays(30))
        .issue(HostsFile.parse("test", List.of(lines.toString().split("\n"))));
    return out;
  }

  /** {@code from}'s trust store into {@code to}, under {@code to}'s password. */
  public static void copyTrust(Path from, Path to) throws Exception {
    var trust = ClusterCertificates.load(from.resolve(ClusterCertificates.TRUST_STORE),
        ClusterCertificates.readPassword(from.resolve(ClusterCertificates.PASSWORD)));
    var bytes = new java.io.ByteArrayOutputStream();
    trust.store(bytes, ClusterCertificates.readPassword(to.resolve(ClusterCertificates.PASSWORD)));
    OwnerOnlyFiles.write(to.resolve(ClusterCertificates.TRUST_STORE), bytes.toByteArray());
  }
}
