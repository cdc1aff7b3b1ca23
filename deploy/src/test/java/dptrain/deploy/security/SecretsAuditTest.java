package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit the TLS launch test runs over its run folder finds a secret wherever it is. */
class SecretsAuditTest {
  @TempDir
  Path dir;

  @Test
  void aPasswordInALogOrInTheOutputIsFoundAndACleanRunPasses() throws Exception {
    Path certs = TestCertificates.issue(dir.resolve("certs"), "coord", "w1");
    Path run = dir.resolve("run");
    Files.createDirectories(run.resolve("logs"));
    Files.writeString(run.resolve("config.conf"), "dptrain.train { epochs = 3 }\n");

    assertThatCode(() -> SecretsAudit.assertNoSecretsIn(run, certs, "final test_loss=0.3")).doesNotThrowAnyException();

    String password = Files.readString(certs.resolve("w1/password")).trim();
    assertThatThrownBy(() -> SecretsAudit.assertNoSecretsIn(run, certs, "key-store-password = " + password))
        .hasMessageContaining("printed output 0");
    Files.writeString(run.resolve("logs/w1.log"), "opening the key store with " + password + "\n");
    assertThatThrownBy(() -> SecretsAudit.assertNoSecretsIn(run, certs)).hasMessageContaining("w1.log");
  }
}
