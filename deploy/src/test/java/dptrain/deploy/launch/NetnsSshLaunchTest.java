package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import dptrain.deploy.security.ClusterCertificates;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dptrain launch through the real ssh path: four hosts as network namespaces, each running
 * Debian's sshd with keys made for the test, a TLS cluster of a coordinator, a standby and two
 * workers launched over ssh from this namespace. Skipped, loudly, without namespaces or sshd.
 */
class NetnsSshLaunchTest {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static NetnsHosts hosts;
  private static final List<Process> daemons = new ArrayList<>();

  @TempDir
  static Path dir;

  @BeforeAll
  static void startHosts() throws Exception {
    String missing = !Files.isExecutable(SSHD) ? "no " + SSHD + " (apt-get install openssh-server)" : null;
    if (missing == null) {
      hosts = NetnsHosts.create(4, 's');
      missing = hosts == null ? NetnsHosts.unavailable : null;
    }
    if (missing != null) {
      System.err.println("SKIPPED NetnsSshLaunchTest: " + missing);
    }
    Assumptions.assumeTrue(missing == null, missing);
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("host_key").toString());
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("user_key").toString());
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(Path.of("/run/sshd"));
    for (int k = 1; k <= 4; k++) {
      Path config = Files.writeString(dir.resolve("sshd-" + k + ".conf"), String.join("\n",
          "Port 22", "ListenAddress " + hosts.address(k), "HostKey " + dir.resolve("host_key"),
          "PidFile " + dir.resolve("sshd-" + k + ".pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
          "PermitRootLogin prohibit-password", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
          "UsePAM no", "StrictModes no", "LogLevel ERROR", ""));
      daemons.add(new ProcessBuilder("ip", "netns", "exec", hosts.name(k), SSHD.toString(), "-D", "-e", "-f", config.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("sshd-" + k + ".log").toFile()).start());
    }
    for (int k = 1; k <= 4; k++) {
      String address = hosts.address(k);
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(address, 22), 1000);
        }
        return null;
      });
    }
  }

  @AfterAll
  static void stopHosts() throws Exception {
    for (Process daemon : daemons) {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    if (hosts != null) {
      hosts.close();
    }
    KIT.shutdownTestKit();
  }

  @Test
  void aTlsClusterWithAStandbyLaunchedOverSshTrainsToTheEnd() throws Exception {
    Path hostsFile = Files.writeString(dir.resolve("hosts.txt"), String.join("\n",
        hosts.name(1) + " " + hosts.address(1) + " coordinator,ps",
        hosts.name(2) + " " + hosts.address(2) + " standby",
        hosts.name(3) + " " + hosts.address(3) + " worker,ps",
        hosts.name(4) + " " + hosts.address(4) + " worker,ps slots=2", ""));
    new ClusterCertificates(dir.resolve("certs"), Clock.systemUTC(), Duration.ofDays(1)).issue(HostsFile.read(hostsFile));
    Path run = dir.resolve("run");

    var result = BoundedLaunch.start(run, hosts, "launch", "--hosts", hostsFile.toString(), "--tls-dir", dir.resolve("certs").toString(),
        "--ssh-option", "-i " + dir.resolve("user_key"), "--ssh-option", "-o UserKnownHostsFile=" + dir.resolve("known_hosts"),
        "--ssh-option", "-l root", "--java", ProcessHandle.current().info().command().orElse("java"), "--node-memory", "640m",
        "--grace", "5", "--run-dir", run.toString(), "--data", "synthetic:xor", "--model", "2-4-1", "--loss", "bce",
        "--batch", "all", "--epochs", "30", "--eval-every", "10").await(Duration.ofSeconds(240));

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("preflight: 4 host(s) ready through ssh").contains("final test_loss=");
    hosts.assertEveryLogShowsItsCertificate(run);
    assertThat(Files.readString(run.resolve("metrics.jsonl"))).contains("\"workers\":2");
    // Nothing of the cluster is left on any host: only each host's sshd runs there.
    for (int k = 1; k <= 4; k++) {
      String name = hosts.name(k);
      long sshd = daemons.get(k - 1).pid();
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
        Process pids = new ProcessBuilder("ip", "netns", "pids", name).start();
        assertThat(pids.waitFor(10, TimeUnit.SECONDS)).isTrue();
        var left = new String(pids.getInputStream().readAllBytes()).lines().map(Long::parseLong)
            .filter(pid -> pid != sshd).toList();
        assertThat(left).as("processes left on %s", name).isEmpty();
        return null;
      });
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
  }
}
