package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.deploy.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node checks its TLS folder before it starts, and says in one line what is wrong with it. */
class NodeTlsTest {
  @TempDir
  Path dir;

  @Test
  void aGoodFolderGivesArteryOverMutualTls13WithHostNamesVerified() throws Exception {
    TestCertificates.issue(dir, "coord");

    var settings = NodeTls.load(dir.resolve("coord"), "127.0.0.1", Clock.systemUTC()).akkaSettings();

    assertThat(settings.getString("akka.remote.artery.transport")).isEqualTo("tls-tcp");
    assertThat(settings.getString("akka.remote.artery.ssl.ssl-engine-provider")).isEqualTo(AuditedSslEngineProvider.class.getName());
    var engine = settings.getConfig("akka.remote.artery.ssl.config-ssl-engine");
    assertThat(engine.getString("protocol")).isEqualTo("TLSv1.3");
    assertThat(engine.getBoolean("require-mutual-authentication")).isTrue();
    assertThat(engine.getBoolean("hostname-verification")).isTrue();
  }

  @Test
  void refusesAMissingFileAWrongCaAnAddressTheCertificateDoesNotNameAndAnExpiredCertificate() throws Exception {
    TestCertificates.issue(dir.resolve("ours"), "coord", "w1");
    TestCertificates.issue(dir.resolve("theirs"), "coord");
    Path coord = dir.resolve("ours/coord");

    assertRefused(dir.resolve("ours/nobody"), "127.0.0.1", Clock.systemUTC(), "TLS: " + dir.resolve("ours/nobody/node.p12") + " is missing");
    assertRefused(coord, "10.9.9.9", Clock.systemUTC(), "TLS: the certificate in " + coord.resolve("node.p12")
        + " names [dns:coord, ip:127.0.0.1], not 10.9.9.9");
    Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(31)), ZoneOffset.UTC);
    assertRefused(coord, "127.0.0.1", later, "TLS: the certificate in " + coord.resolve("node.p12") + " expired on");

    // Another cluster's trust store beside this host's key (with its password, so it opens).
    Path mixed = dir.resolve("mixed");
    Files.createDirectories(mixed);
    Files.setPosixFilePermissions(mixed, PosixFilePermissions.fromString("rwx------"));
    Files.copy(coord.resolve("node.p12"), mixed.resolve("node.p12"));
    Files.copy(coord.resolve("password"), mixed.resolve("password"));
    TestCertificates.copyTrust(dir.resolve("theirs/coord"), mixed);
    assertRefused(mixed, "127.0.0.1", Clock.systemUTC(), "TLS: the certificate in " + mixed.resolve("node.p12")
        + " (CN=coord) is not signed by the cluster's CA in " + mixed.resolve("trust.p12"));
  }

  @Test
  void refusesAKeyThatOtherUsersCanReadAndAPasswordThatDoesNotOpenTheStore() throws Exception {
    TestCertificates.issue(dir, "coord", "w1");
    Path coord = dir.resolve("coord");
    Files.setPosixFilePermissions(coord.resolve("node.p12"), PosixFilePermissions.fromString("rw-r--r--"));
    assertRefused(coord, "127.0.0.1", Clock.systemUTC(), "TLS: " + coord.resolve("node.p12")
        + " may be read by other users; make it the owner's alone (chmod 600");

    Files.setPosixFilePermissions(coord.resolve("node.p12"), PosixFilePermissions.fromString("rw-------"));
    Files.copy(dir.resolve("w1/password"), coord.resolve("password"), StandardCopyOption.REPLACE_EXISTING);
    assertRefused(coord, "127.0.0.1", Clock.systemUTC(), "TLS: cannot open " + coord.resolve("node.p12")
        + " with the password in its folder");
  }

  private static void assertRefused(Path folder, String address, Clock clock, String message) {
    assertThatThrownBy(() -> NodeTls.load(folder, address, clock)).isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
  }
}
