package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.receptionist.Receptionist;
import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.TestJobs;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker node that joins during training is configured and takes a share of the steps after
 * the next pause; one whose configuration a roll-back overtook is configured again for the new
 * generation.
 */
class WorkerJoinIntegrationTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  Path dir;

  @AfterAll
  static void stopKit() {
    KIT.shutdownTestKit();
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + text);
  }

  @Test
  void aWorkerThatJoinsMidRunTakesPartAndEverySampleStillCountsOnce() throws Exception {
    // Fashion-MNIST with an evaluation (a pause) every 50 steps: the run lasts long enough for a
    // node to join and load the data, and the joiner is admitted at the first pause after that.
    var settings = TestJobs.settings(dir.resolve("join"), "epochs", 1, "eval-steps", 50, "workers", 2, "ps-shards", 2,
        "seed", 6);
    CoordinatorNode coordinator = CoordinatorNode.start(settings, "127.0.0.1", 0);
    var seeds = List.of(coordinator.address());
    List<ActorSystem<Void>> workers = new ArrayList<>(List.of(WorkerNode.start("127.0.0.1", 0, seeds, false),
        WorkerNode.start("127.0.0.1", 0, seeds, false)));
    try {
      Path metrics = settings.runDir().resolve("metrics.jsonl");
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(20), () -> {
        assertThat(Files.exists(metrics) && Files.readString(metrics).contains("\"type\":\"step\"")).isTrue();
        return null;
      });
      workers.add(WorkerNode.start("127.0.0.1", 0, seeds, false));

      var outcome = coordinator.outcome().get(120, TimeUnit.SECONDS);

      assertThat(outcome).isInstanceOf(TrainingOutcome.Finished.class);
      List<String> lines = Files.readAllLines(metrics);
      assertThat(lines).anyMatch(l -> l.contains("\"type\":\"workers_joined\"") && l.contains("\"workers\":3"));
      // The joiner computed micro-batches: every step after its admission was cut over three
      // workers, and none was re-sent, so each micro-batch handed to the joiner came from it.
      int joined = indexOf(lines, "\"type\":\"workers_joined\"");
      assertThat(lines.subList(joined, lines.size())).filteredOn(l -> l.contains("\"type\":\"step\""))
          .isNotEmpty().allMatch(l -> l.contains("\"workers\":3"));
      assertThat(lines).noneMatch(l -> l.contains("\"type\":\"resent\""));
      // The last evaluation line closes the epoch: every sample counted once, whoever computed it.
      assertThat(lines).filteredOn(l -> l.contains("\"type\":\"epoch\"")).last().asString()
          .contains("\"step\":469").contains("\"epoch_samples\":60000");
    } finally {
      workers.forEach(ActorSystem::terminate);
      workers.forEach(w -> w.getWhenTerminated().toCompletableFuture().join());
      coordinator.system().terminate();
      coordinator.system().getWhenTerminated().toCompletableFuture().join();
    }
  }

  /**
   * The joiner here is a probe on the coordinator's node, registered as a worker, so the test
   * decides when it answers: it is sent the first generation's Configure, a shard's node leaves
   * before it answers (a roll-back), and its late answer to that Configure must not admit it to
   * the new generation, whose shards it does not know; it gets the new generation's Configure.
   * A second probe registers as the roll-back begins: it is configured for the new generation.
   */
  @Test
  void aJoinerWhoseConfigureARollBackOvertookIsConfiguredAgainAndItsLateAnswerDoesNotAdmitIt() throws Exception {
    // Long enough that the job is still running when the shard's node leaves: 1,200 steps of this
    // model ended first on a quiet machine, before the test's Configure round and the departure.
    var settings = TestJobs.settings(dir.resolve("overtaken"), "data", "synthetic:spirals", "model", "2-16:tanh-2",
        "batch", 60, "steps", 8000, "eval-steps", 400, "lr", 0.01, "workers", 2, "ps-shards", 2, "seed", 3);
    CoordinatorNode coordinator = CoordinatorNode.start(settings, "127.0.0.1", 0);
    var seeds = List.of(coordinator.address());
    var kept = WorkerNode.start("127.0.0.1", 0, seeds, false);
    var leaving = WorkerNode.start("127.0.0.1", 0, seeds, false);
    try {
      Path metrics = settings.runDir().resolve("metrics.jsonl");
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(20), () -> {
        assertThat(Files.exists(metrics) && Files.readString(metrics).contains("\"type\":\"step\"")).isTrue();
        return null;
      });
      TestProbe<WorkerProtocol.Command> joiner = TestProbe.create(coordinator.system());
      coordinator.system().receptionist().tell(Receptionist.register(Worker.SERVICE_KEY, joiner.ref()));
      var first = joiner.expectMessageClass(WorkerProtocol.Configure.class, Duration.ofSeconds(30));
      assertThat(first.generation()).isZero();

      leaving.terminate();
      KIT.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(5), () -> {
        assertThat(Files.readString(metrics)).contains("\"type\":\"rollback\"");
        return null;
      });
      // Registered as the roll-back begins (its listing may reach the Coordinator while the next
      // generation forms, when the membership is not acted on): it is configured for that generation.
      TestProbe<WorkerProtocol.Command> late = TestProbe.create(coordinator.system());
      coordinator.system().receptionist().tell(Receptionist.register(Worker.SERVICE_KEY, late.ref()));
      var again = joiner.expectMessageClass(WorkerProtocol.Configure.class, Duration.ofSeconds(60));
      // 1, or 2 when the shard host's departure and the worker's are heard apart (a roll-back, then a formation lost its worker).
      assertThat(again.generation()).as("configured again for a generation after the roll-back").isPositive();
      assertThat(again.shards()).isNotEqualTo(first.shards());
      assertThat(late.expectMessageClass(WorkerProtocol.Configure.class, Duration.ofSeconds(30)).generation()).isPositive();
      first.coordinator().tell(new CoordinatorProtocol.WorkerReady(joiner.ref(), first.generation(), 1000, 500));

      var outcome = coordinator.outcome().get(120, TimeUnit.SECONDS);

      assertThat(outcome).isInstanceOf(TrainingOutcome.Finished.class);
      List<String> lines = Files.readAllLines(metrics);
      assertThat(lines).anyMatch(l -> l.contains("\"type\":\"rollback\""));
      assertThat(lines).as("its answer to the old Configure is no answer to the new one")
          .noneMatch(l -> l.contains("\"type\":\"workers_joined\""));
      assertThat(lines).noneMatch(l -> l.contains("\"type\":\"resent\""));
    } finally {
      kept.terminate();
      for (var system : List.of(kept, leaving)) {
        system.getWhenTerminated().toCompletableFuture().join();
      }
      coordinator.system().terminate();
      coordinator.system().getWhenTerminated().toCompletableFuture().join();
    }
  }
}
