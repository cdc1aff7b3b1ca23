package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import dptrain.coordinator.job.Checkpointing;
import dptrain.coordinator.job.Consistency;
import dptrain.coordinator.lr.LrScheduleSpec;
import dptrain.coordinator.plan.Schedule;
import dptrain.protocol.CoordinatorProtocol.ChunkRefused;
import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import dptrain.protocol.CoordinatorProtocol.MicroBatchPushed;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.job.ConsistencyMode;
import dptrain.protocol.job.ShardAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The step loop alone: probes stand for two workers, two shards and the parent; time is manual. */
class StepLoopTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime TIME = ManualTime.get(KIT.system());
  private static final Duration RETRY = Duration.ofSeconds(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(7);
  /** 40 rows in batches of 8: five steps in the one epoch, each cut into two micro-batches of 4 rows. */
  private static final Schedule SCHEDULE = Schedule.of(40, 8, 1, 0);

  private final TestProbe<WorkerProtocol.Command> a = KIT.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = KIT.createTestProbe();
  private final TestProbe<ShardProtocol.Command> shard0 = KIT.createTestProbe();
  private final TestProbe<ShardProtocol.Command> shard1 = KIT.createTestProbe();
  private final TestProbe<StepLoopReport> parent = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static LoopSettings settings(Consistency consistency, int lookahead, double clipNorm) {
    return new LoopSettings(1, 8, true, 0, null, LrScheduleSpec.CONSTANT, 0.1, consistency, clipNorm, lookahead, RETRY,
        TIMEOUT);
  }

  private ActorRef<StepLoop.Command> loop(LoopSettings settings, PauseRule pauses) {
    var shards = List.of(new ShardAddress(shard0.ref(), 0, 10), new ShardAddress(shard1.ref(), 10, 10));
    var loop = KIT.spawn(StepLoop.create(new StepLoop.Setup(settings, SCHEDULE, pauses, 40, shards,
        List.of(a.ref(), b.ref()), 0, parent.ref())));
    loop.tell(new StepLoop.RunPeriod(List.of(a.ref(), b.ref()), new double[0]));
    return loop;
  }

  private ActorRef<StepLoop.Command> syncLoop() {
    return loop(settings(Consistency.SYNC, 0, 0), new PauseRule(SCHEDULE, Checkpointing.NONE, false));
  }

  private static void bothShardsFinish(ActorRef<StepLoop.Command> loop, long step) {
    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, step, 8, 2.0, false)));
    loop.tell(new StepLoop.ShardStepDone(new StepDone(1, step, 8, 2.0, false)));
  }

  @Test
  void aStepCompletesOnlyOnceEveryShardReportedItAndTheNextOneIsHandedOut() {
    var loop = syncLoop();
    Compute first = a.expectMessageClass(Compute.class);
    assertThat(first.step()).isZero();
    assertThat(first.microBatches()).isEqualTo(2);
    assertThat(b.expectMessageClass(Compute.class).microBatch()).isEqualTo(1);

    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, 0, 8, 2.0, false)));
    TIME.expectNoMessageFor(Duration.ofMillis(100), parent, a);
    loop.tell(new StepLoop.ShardStepDone(new StepDone(1, 0, 8, 2.0, false)));

    var completed = parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    assertThat(completed.step()).isZero();
    assertThat(completed.samples()).isEqualTo(8);
    assertThat(completed.lr()).isEqualTo(0.1);
    assertThat(completed.dropped()).as("not a backup step").isEqualTo(-1);
    assertThat(completed.staleness()).as("not an async step").isEqualTo(-1);
    assertThat(a.expectMessageClass(Compute.class).step()).isEqualTo(1);
  }

  @Test
  void nothingBeyondAPauseIsHandedOutAndTheNextPeriodStartsOnlyWhenTheParentSaysSo() {
    // A checkpoint after every second step, and a lookahead of three steps.
    var checkpoints = new Checkpointing(2, false, java.time.Duration.ZERO, 1, "", null);
    var loop = loop(settings(Consistency.SYNC, 3, 0), new PauseRule(SCHEDULE, checkpoints, true));
    for (var worker : List.of(a, b)) {
      assertThat(List.of(worker.expectMessageClass(Compute.class).step(), worker.expectMessageClass(Compute.class).step()))
          .containsExactly(0L, 1L);
    }
    TIME.expectNoMessageFor(Duration.ofMillis(100), a, b);

    bothShardsFinish(loop, 0);
    bothShardsFinish(loop, 1);
    parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    var paused = parent.expectMessageClass(StepLoopReport.Paused.class);
    assertThat(paused.afterStep()).isEqualTo(1);
    assertThat(paused.reason()).isEqualTo(StepLoopReport.PauseFor.CHECKPOINT);
    assertThat(paused.version()).isEqualTo(2);
    TIME.expectNoMessageFor(RETRY.multipliedBy(3), a, b, parent);

    loop.tell(new StepLoop.RunPeriod(List.of(a.ref(), b.ref()), new double[0]));
    assertThat(a.expectMessageClass(Compute.class).step()).isEqualTo(2);
  }

  @Test
  void theLastStepOfAnEvaluationPeriodPausesForTheEvaluation() {
    var loop = syncLoop();
    for (long step = 0; step < 5; step++) {
      a.expectMessageClass(Compute.class);
      b.expectMessageClass(Compute.class);
      bothShardsFinish(loop, step);
      parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    }
    var paused = parent.expectMessageClass(StepLoopReport.Paused.class);
    assertThat(paused.reason()).isEqualTo(StepLoopReport.PauseFor.EVALUATION);
    assertThat(paused.afterStep()).isEqualTo(4);
  }

  @Test
  void aSilentStepIsSentAgainToTheOtherWorkerUntilTheTimeoutFailsTheLoop() {
    syncLoop();
    assertThat(a.expectMessageClass(Compute.class).microBatch()).isZero();
    assertThat(b.expectMessageClass(Compute.class).microBatch()).isEqualTo(1);

    TIME.timePasses(RETRY);
    var resent = parent.expectMessageClass(StepLoopReport.Resent.class);
    assertThat(resent.count()).isEqualTo(2);
    assertThat(resent.silentFor()).isEqualTo(RETRY);
    assertThat(a.expectMessageClass(Compute.class).microBatch()).as("b's micro-batch, now a's").isEqualTo(1);
    assertThat(b.expectMessageClass(Compute.class).microBatch()).isZero();
    TIME.timePasses(RETRY);
    TIME.timePasses(RETRY);
    assertThat(parent.receiveSeveralMessages(2)).allMatch(StepLoopReport.Resent.class::isInstance);
    TIME.timePasses(RETRY);

    var failed = parent.expectMessageClass(StepLoopReport.LoopFailed.class);
    assertThat(failed.reason()).isEqualTo("step 0 did not complete within 7 s (0 of 2 shard(s) done)");
  }

  @Test
  void aRepeatedReportIsNotASecondShardAndASilentStepAsksTheShardsThatHaveNotReportedToRepeatTheirs() {
    var loop = syncLoop();
    a.expectMessageClass(Compute.class);
    b.expectMessageClass(Compute.class);

    // The wire doubled shard 0's report; shard 1's was lost.
    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, 0, 8, 2.0, false)));
    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, 0, 8, 2.0, false)));
    parent.expectNoMessage(Duration.ofMillis(100));

    TIME.timePasses(RETRY);
    parent.expectMessageClass(StepLoopReport.Resent.class);
    assertThat(shard1.expectMessageClass(ShardProtocol.ReportStep.class).step()).isZero();
    shard0.expectNoMessage(Duration.ofMillis(100));
    loop.tell(new StepLoop.ShardStepDone(new StepDone(1, 0, 8, 2.0, false)));

    assertThat(parent.expectMessageClass(StepLoopReport.StepCompleted.class).step()).isZero();
  }

  @Test
  void aSilentAsyncTicketAsksOnlyTheShardsThatHaveNotReportedItToRepeatTheirReports() {
    var loop = loop(settings(new Consistency(ConsistencyMode.ASYNC, 0, 0), 0, 0), new PauseRule(SCHEDULE, Checkpointing.NONE,
        false));
    // Two tickets per worker: step 0's micro-batches are tickets 0 (a) and 1 (b), step 1's 2 (a) and 3 (b).
    assertThat(a.receiveSeveralMessages(2)).extracting(c -> ((Compute) c).step()).containsExactly(0L, 2L);
    assertThat(b.receiveSeveralMessages(2)).extracting(c -> ((Compute) c).step()).containsExactly(1L, 3L);

    // Shard 0 applied ticket 0 and said so; shard 1's report of it was lost.
    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, 0, 4, 1.0, false)));
    TIME.timePasses(RETRY);
    parent.expectMessageClass(StepLoopReport.Resent.class);

    assertThat(shard0.receiveSeveralMessages(3)).extracting(m -> ((ShardProtocol.ReportStep) m).step())
        .containsExactly(1L, 2L, 3L);
    assertThat(shard1.receiveSeveralMessages(4)).extracting(m -> ((ShardProtocol.ReportStep) m).step())
        .containsExactly(0L, 1L, 2L, 3L);
    loop.tell(new StepLoop.ShardStepDone(new StepDone(1, 0, 4, 1.0, false)));
    loop.tell(new StepLoop.ShardStepDone(new StepDone(0, 1, 4, 1.0, false)));
    loop.tell(new StepLoop.ShardStepDone(new StepDone(1, 1, 4, 1.0, false)));

    var completed = parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    assertThat(completed.step()).isZero();
    assertThat(completed.samples()).isEqualTo(8);
  }

  @Test
  void aLostWorkersMicroBatchesGoToTheLiveWorkers() {
    var loop = syncLoop();
    a.expectMessageClass(Compute.class);
    Compute lost = b.expectMessageClass(Compute.class);

    loop.tell(new StepLoop.WorkerLost(b.ref(), List.of(a.ref())));

    Compute moved = a.expectMessageClass(Compute.class);
    assertThat(moved.step()).isEqualTo(lost.step());
    assertThat(moved.microBatch()).isEqualTo(lost.microBatch());
    assertThat(moved.indices()).isEqualTo(lost.indices());
    bothShardsFinish(loop, 0);
    parent.expectMessageClass(StepLoopReport.StepCompleted.class);
    assertThat(a.expectMessageClass(Compute.class).microBatches()).as("the next step is cut over the one worker left")
        .isEqualTo(1);
  }

  @Test
  void aRefusedMicroBatchIsComputedAgainByTheOtherWorkerAndGivenUpAfterFourTries() {
    var loop = syncLoop();
    a.expectMessageClass(Compute.class);
    b.expectMessageClass(Compute.class);

    loop.tell(new StepLoop.ShardRefusedChunk(new ChunkRefused(0, 0, 0, a.ref(), "NaN", 0)));
    assertThat(b.expectMessageClass(Compute.class).microBatch()).isZero();
    loop.tell(new StepLoop.ShardRefusedChunk(new ChunkRefused(1, 0, 0, a.ref(), "NaN", 0)));
    TIME.expectNoMessageFor(Duration.ofMillis(50), a, b);

    for (var sender : List.of(b, a, b)) {
      loop.tell(new StepLoop.ShardRefusedChunk(new ChunkRefused(0, 0, 0, sender.ref(), "NaN", 0)));
      (sender == a ? b : a).expectMessageClass(Compute.class);
    }
    loop.tell(new StepLoop.ShardRefusedChunk(new ChunkRefused(0, 0, 0, a.ref(), "NaN", 0)));
    assertThat(parent.expectMessageClass(StepLoopReport.LoopFailed.class).reason())
        .isEqualTo("micro-batch 0 of step 0 was refused 5 times; giving up");
  }

  @Test
  void aBackupStepClosesOnceAllButTheBackupMicroBatchesArePushed() {
    var loop = loop(settings(new Consistency(ConsistencyMode.BACKUP, 0, 1), 0, 0), new PauseRule(SCHEDULE, Checkpointing.NONE, false));
    a.expectMessageClass(Compute.class);
    b.expectMessageClass(Compute.class);

    loop.tell(new StepLoop.WorkerPushed(new MicroBatchPushed(0, 1, b.ref())));

    for (var shard : List.of(shard0, shard1)) {
      var close = shard.expectMessageClass(ShardProtocol.CloseStep.class);
      assertThat(close.step()).isZero();
      assertThat(close.included()).containsExactly(1);
    }
    loop.tell(new StepLoop.WorkerPushed(new MicroBatchPushed(0, 0, a.ref())));
    TIME.expectNoMessageFor(Duration.ofMillis(50), shard0);
    bothShardsFinish(loop, 0);
    assertThat(parent.expectMessageClass(StepLoopReport.StepCompleted.class).dropped()).isEqualTo(1);
  }

  @Test
  void clippingByGlobalNormScalesTheStepOnceEveryShardReportedItsSquares() {
    var loop = loop(settings(Consistency.SYNC, 0, 1.0), new PauseRule(SCHEDULE, Checkpointing.NONE, false));

    loop.tell(new StepLoop.ShardGradientSquares(new GradientSquares(0, 0, 9.0)));
    TIME.expectNoMessageFor(Duration.ofMillis(50), shard0);
    loop.tell(new StepLoop.ShardGradientSquares(new GradientSquares(1, 0, 16.0)));

    for (var shard : List.of(shard0, shard1)) {
      var scale = shard.expectMessageClass(ShardProtocol.ScaleGradient.class);
      assertThat(scale.step()).isZero();
      assertThat(scale.factor()).isEqualTo(1.0 / (5.0 + 1e-6));
    }
  }
}
