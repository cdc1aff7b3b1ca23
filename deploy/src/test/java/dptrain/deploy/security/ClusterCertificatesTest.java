package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.launch.HostsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dptrain certs: one CA, and per host a certificate it signed that names the host, readable by the owner alone. */
class ClusterCertificatesTest {
  @TempDir
  Path dir;

  private List<ClusterCertificates.Issued> issue(String... lines) throws Exception {
    return new ClusterCertificates(dir, Clock.systemUTC(), Duration.ofDays(30)).issue(HostsFile.parse("hosts", List.of(lines)));
  }

  @Test
  void everyHostGetsAKeyAndACertificateSignedByTheClusterCaThatNamesItsHostAndAddress() throws Exception {
    issue("coord 10.0.0.1 coordinator,ps", "w1 node-1.example worker");

    X509Certificate ca = (X509Certificate) store(dir.resolve("coord"), ClusterCertificates.TRUST_STORE).getCertificate("ca");
    for (String host : List.of("coord", "w1")) {
      KeyStore node = store(dir.resolve(host), ClusterCertificates.NODE_STORE);
      X509Certificate certificate = (X509Certificate) node.getCertificate("node");
      certificate.verify(ca.getPublicKey());
      assertThat(node.isKeyEntry("node")).isTrue();
      assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + host);
      assertThat(certificate.getExtendedKeyUsage()).containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
      assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    }
    assertThat(names(dir.resolve("coord"))).containsExactlyInAnyOrder("2:coord", "7:10.0.0.1");
    assertThat(names(dir.resolve("w1"))).containsExactlyInAnyOrder("2:w1", "2:node-1.example");
    assertThat(Files.readString(dir.resolve("coord/password"))).isNotEqualTo(Files.readString(dir.resolve("w1/password")));
  }

  @Test
  void everyFileAndFolderIsTheOwnersAlone() throws Exception {
    issue("coord 10.0.0.1 coordinator");

    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.filter(p -> !p.equals(dir)).toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as("%s", path)
            .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
      }
    }
  }

  @Test
  void aSecondRunKeepsTheCaAndTheExistingHostsAndSignsTheNewOnesWithIt() throws Exception {
    issue("coord 10.0.0.1 coordinator");
    byte[] coordBefore = Files.readAllBytes(dir.resolve("coord/node.p12"));

    var second = issue("coord 10.0.0.1 coordinator", "w2 10.0.0.2 worker");

    assertThat(second).extracting(ClusterCertificates.Issued::created).containsExactly(false, true);
    assertThat(Files.readAllBytes(dir.resolve("coord/node.p12"))).isEqualTo(coordBefore);
    X509Certificate ca = (X509Certificate) store(dir.resolve("coord"), ClusterCertificates.TRUST_STORE).getCertificate("ca");
    ((X509Certificate) store(dir.resolve("w2"), ClusterCertificates.NODE_STORE).getCertificate("node")).verify(ca.getPublicKey());
  }

  private static KeyStore store(Path folder, String name) throws Exception {
    return ClusterCertificates.load(folder.resolve(name), ClusterCertificates.readPassword(folder.resolve("password")));
  }

  private static List<String> names(Path folder) throws Exception {
    X509Certificate certificate = (X509Certificate) store(folder, ClusterCertificates.NODE_STORE).getCertificate("node");
    return certificate.getSubjectAlternativeNames().stream().map(n -> n.get(0) + ":" + n.get(1)).toList();
  }
}
