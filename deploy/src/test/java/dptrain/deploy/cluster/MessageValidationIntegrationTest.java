package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.deploy.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that sends a NaN gradient, a chunk of the wrong length or a gradient under a stale
 * step (its test-only fault injector) changes nothing: the shards refuse the message, log it
 * with its sender and count it, the micro-batch is computed again, and the run ends with the
 * parameters of a run without faults, bit for bit.
 */
class MessageValidationIntegrationTest {
  @TempDir
  Path dir;

  private JobSettings job(String name) {
    return TestJobs.settings(dir.resolve(name), "data", "synthetic:spirals", "model", "2-16-2", "batch", 50, "steps", 12,
        "seed", 4, "optimizer", "adam", "dtype", "float64", "workers", 2, "ps-shards", 2,
        "checkpoint-epoch-end", false).withRetryAfter(Duration.ofSeconds(2));
  }

  /** Runs the job on a coordinator and two in-JVM workers, the second injecting {@code faults}. */
  private static TrainingOutcome.Finished runWithFaults(JobSettings settings, String faults) {
    CoordinatorNode coordinator = CoordinatorNode.start(settings, "127.0.0.1", 0);
    var seeds = List.of(coordinator.address());
    List<ActorSystem<Void>> workers = List.of(
        WorkerNode.start("127.0.0.1", 0, seeds, false),
        WorkerNode.start("127.0.0.1", 0, seeds, false,
            ConfigFactory.parseMap(Map.of("dptrain.worker.fault-injection", faults))));
    try {
      // Bounded: a job that never ends fails the test instead of hanging the build.
      var outcome = coordinator.outcome().get(3, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(outcome).isInstanceOf(TrainingOutcome.Finished.class);
      return (TrainingOutcome.Finished) outcome;
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      workers.forEach(ActorSystem::terminate);
      workers.forEach(w -> w.getWhenTerminated().toCompletableFuture().join());
      coordinator.system().terminate();
      coordinator.system().getWhenTerminated().toCompletableFuture().join();
    }
  }

  @Test
  void corruptGradientsAreRefusedCountedAndNeverApplied() throws Exception {
    var clean = TestJobs.train(job("clean"), false);

    var faulty = runWithFaults(job("faulty"), "nan@2,wrong-length@5,stale-step@8");

    assertThat(faulty.parameters().toDoubles()).containsExactly(clean.parameters().toDoubles());
    assertThat(faulty.refusedChunks()).isGreaterThanOrEqualTo(3);
    List<String> refusals = Files.readAllLines(dir.resolve("faulty").resolve("metrics.jsonl")).stream()
        .filter(line -> line.contains("\"type\":\"refused\"")).toList();
    assertThat(refusals).anyMatch(l -> l.contains("\"step\":2") && l.contains("NaN or Inf") && l.contains("/user/worker"));
    assertThat(refusals).anyMatch(l -> l.contains("\"step\":5") && l.contains("which is not one of this shard's"));
  }
}
