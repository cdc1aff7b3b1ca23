package dptrain.deploy.security;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of certificates and of nodes that need them. */
class CertsCommandTest {
  @TempDir
  Path dir;

  @Test
  void certsPrintsEachHostsFolderAndNeverAPassword() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts.txt"), "coord 10.0.0.1 coordinator,ps\nw1 10.0.0.2 worker\n");
    Path out = dir.resolve("certs");

    var first = TrainCommandTest.run("certs", "--hosts", hosts.toString(), "--out", out.toString());
    var again = TrainCommandTest.run("certs", "--hosts", hosts.toString(), "--out", out.toString());

    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).contains("created " + out.resolve("coord") + "  (coord at 10.0.0.1)")
        .contains("created " + out.resolve("w1") + "  (w1 at 10.0.0.2)");
    assertThat(again.out()).contains("kept    " + out.resolve("coord"));
    for (String folder : new String[] {"ca", "coord", "w1"}) {
      String password = Files.readString(out.resolve(folder).resolve("password")).strip();
      assertThat(first.out() + first.err() + again.out() + again.err()).doesNotContain(password);
    }
  }

  @Test
  void aHostsFileMistakeEndsWithExitCodeTwoAndItsLine() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts.txt"), "coord 10.0.0.1 coordinator\nw1 10.0.0.2 wroker\n");

    var run = TrainCommandTest.run("certs", "--hosts", hosts.toString(), "--out", dir.resolve("certs").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: " + hosts + ":2: unknown role 'wroker' (allowed: coordinator, standby, worker, ps)");
  }

  @Test
  void aNodeOnAnAddressOtherHostsCanReachNeedsTlsOrAnExplicitInsecure() {
    var run = TrainCommandTest.run("worker", "--host", "10.255.255.1", "--seed-nodes", "akka://dptrain@10.255.255.1:25520");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: binding 10.255.255.1 without TLS: give --tls DIR (this host's folder from"
        + " 'dptrain certs --hosts FILE --out DIR'), or --insecure to run unencrypted");
  }

  @Test
  void aNodeGivenAnotherHostsFolderIsRefusedBeforeItStarts() throws Exception {
    TestCertificates.issue(dir.resolve("certs"), "coord", "w1");
    Path coord = dir.resolve("certs/coord");

    var run = TrainCommandTest.run("worker", "--tls", coord.toString(), "--host", "127.0.0.2",
        "--seed-nodes", "akka://dptrain@127.0.0.1:25520");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("error: TLS: the certificate in " + coord.resolve("node.p12")
        + " names [dns:coord, ip:127.0.0.1], not 127.0.0.2");
  }
}
