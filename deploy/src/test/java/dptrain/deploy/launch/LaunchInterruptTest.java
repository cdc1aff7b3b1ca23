package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on dptrain launch mid-run ends every node it started: none is left running. */
class LaunchInterruptTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  Path dir;

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @Test
  void anInterruptedLaunchStopsEveryNodeItStarted() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts.txt"),
        "c 127.0.0.1 coordinator port=" + freePort() + "\nw 127.0.0.1 worker port=" + freePort() + "\n");
    Path run = dir.resolve("run");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process launcher = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dptrain.deploy.Main",
        "launch", "--hosts", hosts.toString(), "--prefix", "env", "--run-dir", run.toString(), "--java", java, "--node-memory",
        "512m", "--grace", "5", "--data", "synthetic:spirals", "--model", "2-16:tanh-2", "--batch", "50", "--epochs", "100000",
        "--eval-every", "100000").redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile()).start();
    try {
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(100), () -> {
        Path metrics = run.resolve("metrics.jsonl");
        assertThat(Files.exists(metrics) && Files.readString(metrics).contains("\"type\":\"step\"")).isTrue();
        return null;
      });
      List<ProcessHandle> nodes = launcher.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).toList();
      assertThat(nodes).hasSize(2);

      // Ctrl-C, by the launcher's own PID. A test run started in the background by a shell without job
      // control inherits SIGINT ignored (the JVM then installs no handler for it): there, TERM takes
      // the same way out, through the launcher's shutdown hook.
      String signal = ignoresInterrupt(launcher.pid()) ? "-TERM" : "-INT";
      new ProcessBuilder("kill", signal, String.valueOf(launcher.pid())).start().waitFor(10, TimeUnit.SECONDS);

      assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
      assertThat(nodes).noneMatch(ProcessHandle::isAlive);
      assertThat(Files.readString(dir.resolve("launcher.log"))).doesNotContain("was killed");
    } finally {
      launcher.descendants().forEach(ProcessHandle::destroyForcibly);
      launcher.destroyForcibly();
    }
  }

  /** Whether the process ignores SIGINT (bit 1 of SigIgn in /proc/PID/status). */
  private static boolean ignoresInterrupt(long pid) throws Exception {
    String mask = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("SigIgn:"))
        .map(l -> l.substring("SigIgn:".length()).trim()).findFirst().orElse("0");
    return (Long.parseUnsignedLong(mask, 16) & 0x2) != 0;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
