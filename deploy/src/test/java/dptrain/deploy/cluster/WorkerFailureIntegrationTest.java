package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.deploy.TestJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a worker JVM in the middle of an epoch of Fashion-MNIST (4 worker processes on
 * 127.0.0.1): the run completes, every sample of the epoch is applied exactly once, and the test
 * accuracy stays within 0.5 points of the same run without the kill. A worker without a shard
 * hands its micro-batches on; a worker whose node held a shard costs a roll-back of every shard
 * to the newest checkpoint.
 */
class WorkerFailureIntegrationTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Pattern STEP = Pattern.compile("\"type\":\"step\",\"step\":(\\d+)");
  private static final int TRAIN_ROWS = 60_000;

  @TempDir
  static Path dir;
  private static double cleanAccuracy;

  private static JobSettings fmnist(String name, Object... extra) {
    Object[] base = {"epochs", 1, "workers", 4, "seed", 1};
    return TestJobs.settings(dir.resolve(name),
        java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray());
  }

  @BeforeAll
  static void trainWithoutFailures() {
    cleanAccuracy = TestJobs.train(fmnist("clean", "ps-placement", "coordinator"), true).testAccuracy();
  }

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  /** Trains in worker processes and kills one with SIGKILL once step {@code killAfter} is done. */
  private static TrainingOutcome.Finished trainKillingAWorker(JobSettings settings, long killAfter) throws Exception {
    var run = CompletableFuture.supplyAsync(() -> TestJobs.train(settings, true));
    TestProbe<Object> probe = KIT.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(50), () -> {
      assertThat(lastStep(settings.runDir())).isGreaterThanOrEqualTo(killAfter);
      return null;
    });
    // This JVM's only child processes are the worker nodes the run started.
    ProcessHandle victim = ProcessHandle.current().children().findFirst().orElseThrow();
    assertThat(victim.destroyForcibly()).isTrue();
    return run.get(5, TimeUnit.MINUTES);
  }

  private static long lastStep(Path runDir) throws IOException {
    Path metrics = runDir.resolve("metrics.jsonl");
    if (!Files.exists(metrics)) {
      return -1;
    }
    long last = -1;
    Matcher m = STEP.matcher(Files.readString(metrics));
    while (m.find()) {
      last = Long.parseLong(m.group(1));
    }
    return last;
  }

  private static List<String> lines(Path runDir, String type) throws IOException {
    return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"type\":\"" + type + "\"")).toList();
  }

  @Test
  void aKilledWorkersMicroBatchesGoToTheOthersAndEverySampleCountsOnce() throws Exception {
    var settings = fmnist("killed", "ps-placement", "coordinator");

    var finished = trainKillingAWorker(settings, 150);

    assertThat(lines(settings.runDir(), "worker_left")).hasSize(1);
    assertThat(lines(settings.runDir(), "epoch")).singleElement().asString().contains("\"epoch_samples\":" + TRAIN_ROWS);
    assertThat(finished.steps()).isEqualTo(469);
    assertThat(Math.abs(finished.testAccuracy() - cleanAccuracy)).isLessThanOrEqualTo(0.005);
  }

  @Test
  void aKilledWorkerThatHeldAShardRollsEveryShardBackToTheLastCheckpoint() throws Exception {
    // Four shards on four worker nodes: whichever worker dies, a shard dies with it.
    var settings = fmnist("rolled-back", "ps-shards", 4, "checkpoint-every", 100);

    var finished = trainKillingAWorker(settings, 250);

    // Back to the newest checkpoint before the kill: 200, or a later one when the metrics file
    // (flushed about once a second) showed step 250 late.
    var rollback = lines(settings.runDir(), "rollback");
    assertThat(rollback).hasSize(1);
    long to = Long.parseLong(rollback.get(0).replaceAll(".*\"to_step\":(\\d+).*", "$1"));
    long from = Long.parseLong(rollback.get(0).replaceAll(".*\"from_step\":(\\d+).*", "$1"));
    assertThat(to).isGreaterThanOrEqualTo(200).isLessThanOrEqualTo(from).isEqualTo(from / 100 * 100);
    assertThat(lines(settings.runDir(), "epoch")).singleElement().asString().contains("\"epoch_samples\":" + TRAIN_ROWS);
    assertThat(Math.abs(finished.testAccuracy() - cleanAccuracy)).isLessThanOrEqualTo(0.005);
  }
}
