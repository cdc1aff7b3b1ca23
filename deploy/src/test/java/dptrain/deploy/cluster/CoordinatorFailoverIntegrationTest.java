package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the coordinator's JVM: a coordinator, a standby coordinator and two workers, each
 * its own process on 127.0.0.1, train Fashion-MNIST; the coordinator dies after a checkpoint;
 * the split-brain resolver downs it, the Coordinator singleton starts on the standby, goes on
 * from the newest checkpoint and completes the run.
 */
class CoordinatorFailoverIntegrationTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process start(String name, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "dptrain.deploy.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theStandbyTakesTheSingletonOverAndFinishesFromTheLastCheckpoint() throws Exception {
    Path run = dir.resolve("run");
    String[] job = {"--workers", "2", "--epochs", "2", "--checkpoint-every", "100", "--seed", "3", "--run-dir", run.toString()};
    int primaryPort = freePort();
    int standbyPort = freePort();
    String primary = "akka://dptrain@127.0.0.1:" + primaryPort;
    String standby = "akka://dptrain@127.0.0.1:" + standbyPort;

    Process coordinator = start("coordinator", Stream.concat(Stream.of("coordinator", "--port", "" + primaryPort),
        Stream.of(job)).toArray(String[]::new));
    Process backup = start("standby", Stream.concat(Stream.of("coordinator", "--standby", "--seed-nodes", primary, "--port",
        "" + standbyPort), Stream.of(job)).toArray(String[]::new));
    for (int i = 0; i < 2; i++) {
      start("worker-" + i, "worker", "--seed-nodes", primary + "," + standby, "--exit-when-done");
    }
    Path checkpoint = run.resolve("checkpoints").resolve("ckpt-000000000200.ckpt");
    KIT.createTestProbe().awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(100), () -> {
      assertThat(checkpoint).exists();
      return null;
    });

    coordinator.destroyForcibly(); // SIGKILL
    assertThat(backup.waitFor(180, TimeUnit.SECONDS)).as("the standby finished").isTrue();

    String log = Files.readString(dir.resolve("standby.log"));
    assertThat(backup.exitValue()).as(log).isZero();
    assertThat(log).contains("taking over job").containsPattern("final test_loss=\\S+ test_accuracy=0\\.8");
    List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
    long resumedAt = metrics.stream().filter(l -> l.contains("\"type\":\"resume\""))
        .mapToLong(l -> Long.parseLong(l.replaceAll(".*\"step\":(\\d+).*", "$1"))).findFirst().orElse(-1);
    assertThat(resumedAt).isGreaterThanOrEqualTo(200);
    assertThat(metrics).as("the takeover, named as such").contains("{\"type\":\"takeover\",\"step\":" + resumedAt + "}");
    assertThat(metrics).anyMatch(l -> l.contains("\"type\":\"epoch\"") && l.contains("\"epoch\":2")
        && l.contains("\"epoch_samples\":60000"));
    assertThat(run.resolve("params.npy")).exists();
    assertThat(run.resolve(dptrain.coordinator.checkpoint.RunFolder.FINISHED_MARK)).exists();
  }
}
