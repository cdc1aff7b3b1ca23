package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What dptrain launch refuses before it starts a node, each in one line. */
class LaunchCommandTest {
  @TempDir
  Path dir;

  private Path hosts(String text) throws Exception {
    return Files.writeString(dir.resolve("hosts.txt"), text);
  }

  @Test
  void aReachableAddressWithoutTlsOrInsecureIsRefused() throws Exception {
    var run = TrainCommandTest.run("launch", "--hosts", hosts("c 10.255.0.1 coordinator\nw 10.255.0.2 worker\n").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).isEqualTo("error: a multi-host launch runs over mutual TLS: give --tls-dir DIR (from"
        + " 'dptrain certs --hosts " + dir.resolve("hosts.txt") + " --out DIR'), or --insecure to run unencrypted");
  }

  @Test
  void optionsTheLauncherSetsAndUnknownTrainOptionsAreRefused() throws Exception {
    Path file = hosts("c 127.0.0.1 coordinator port=26101\nw 127.0.0.1 worker port=26102\n");

    var workers = TrainCommandTest.run("launch", "--hosts", file.toString(), "--workers", "3");
    var unknown = TrainCommandTest.run("launch", "--hosts", file.toString(), "--lrr", "0.1");

    assertThat(workers.err().strip()).isEqualTo("error: --workers is set by the launcher from the hosts file; leave it out");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().strip()).isEqualTo("error: Unknown options: '--lrr', '0.1' (see 'dptrain launch --help' and 'dptrain train --help')");
  }

  @Test
  void thePreflightNamesABusyPortAndAMissingJavaAndStartsNothing() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path file = hosts("c 127.0.0.1 coordinator port=" + busy.getLocalPort() + "\nw 127.0.0.1 worker port=26103\n");
      Path run = dir.resolve("run");

      var portBusy = TrainCommandTest.run("launch", "--hosts", file.toString(), "--prefix", "env", "--run-dir", run.toString(),
          "--java", ProcessHandle.current().info().command().orElse("java"), "--data", "synthetic:xor");
      var noJava = TrainCommandTest.run("launch", "--hosts", file.toString(), "--prefix", "env", "--run-dir", run.toString(),
          "--java", dir.resolve("no-java").toString(), "--data", "synthetic:xor");

      assertThat(portBusy.exitCode()).isEqualTo(2);
      assertThat(portBusy.err()).contains("preflight: c (127.0.0.1): port " + busy.getLocalPort() + " is already in use there\n")
          .contains("error: 1 problem(s) on 1 host(s); nothing was started");
      assertThat(noJava.err()).contains("preflight: c (127.0.0.1): needs Java 17 or newer as '" + dir.resolve("no-java")
          + "', found '").contains("preflight: w (127.0.0.1): needs Java 17");
      assertThat(run).doesNotExist();
    }
  }
}
