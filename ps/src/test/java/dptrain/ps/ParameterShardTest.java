package dptrain.ps;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.Precision;
import java.util.Map;
import dptrain.protocol.tensor.TensorChunk;
import java.util.List;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A shard of [10, 14) in pieces of 2, with plain SGD at lr 1, driven by probes. */
class ParameterShardTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private final TestProbe<WorkerProtocol.Command> worker = KIT.createTestProbe();
  private final TestProbe<CoordinatorProtocol.Command> coordinator = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private ShardHostProtocol.HostShard spec(int index, long offset, GradientRules rules) {
    return new ShardHostProtocol.HostShard("job", index, offset, 4, OptimizerSpec.of("sgd", Map.of("lr", 1.0)), 2,
        coordinator.ref(), coordinator.ref(), Precision.FLOAT32, rules);
  }

  private ActorRef<ShardProtocol.Command> startedShard() {
    return startedShard(GradientRules.NONE);
  }

  private ActorRef<ShardProtocol.Command> startedShard(GradientRules rules) {
    var shard = KIT.spawn(ParameterShard.create(spec(0, 10, rules)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(10, 1f, 2f)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(12, 3f, 4f)));
    shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
    assertThat(receiveVersion(0)).containsExactly(1f, 2f, 3f, 4f);
    return shard;
  }

  /** The four values of the given version, from the pieces sent to the worker. */
  private float[] receiveVersion(long version) {
    float[] values = new float[4];
    for (int i = 0; i < 2; i++) {
      var chunk = worker.expectMessageClass(WorkerProtocol.ParametersChunk.class);
      assertThat(chunk.version()).isEqualTo(version);
      place(chunk.chunk(), values);
    }
    return values;
  }

  /** Writes a piece of the shard's range [10, 14) into its place among the four values. */
  private static void place(TensorChunk piece, float[] values) {
    System.arraycopy(piece.toArray(), 0, values, (int) piece.offset() - 10, piece.length());
  }

  private ShardProtocol.GradientChunk gradient(long step, int microBatch, int count, long offset, float... values) {
    return new ShardProtocol.GradientChunk(step, microBatch, 2, count, count * 0.5, TensorChunk.of(offset, values),
        worker.ref(), 1.0, true);
  }

  /** Step 0's gradients: micro-batch 0 (1 sample) and 1 (3 samples), each in the shard's two pieces. */
  private void sendStepZero(ActorRef<ShardProtocol.Command> shard) {
    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 3, 10, 2f, 0f));
    shard.tell(gradient(0, 1, 3, 12, 8f, -4f));
  }

  private float[] parametersNow(ActorRef<ShardProtocol.Command> shard) {
    shard.tell(new ShardProtocol.GetParameters(coordinator.ref()));
    float[] values = new float[4];
    for (int i = 0; i < 2; i++) {
      place(coordinator.expectMessageClass(CoordinatorProtocol.ShardParametersChunk.class).chunk(), values);
    }
    return values;
  }

  @Test
  void aStepAppliesTheMeanOverAllSamplesOfAllMicroBatches() {
    var shard = startedShard();

    sendStepZero(shard);

    // mean = sum / 4 samples; p -= 1 * mean
    assertThat(receiveVersion(1)).containsExactly(0f, 1f, 1f, 5f);
    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);
    assertThat(done.step()).isZero();
    assertThat(done.sampleCount()).isEqualTo(4);
    assertThat(done.lossSum()).isEqualTo(0.5 + 1.5);
  }

  @Test
  void aTieAddsTwoLambdaTimesTheDifferenceTakenAtTheStepsValuesWhateverPieceAppliesFirst() {
    // [10, 12) tied to [12, 14) with lambda 0.5: each is pulled by (a - b), from (1, 2) and (3, 4).
    var shard = startedShard(GradientRules.NONE.tying(List.of(new GradientRules.Tie(10, 12, 2, 0.5))));

    // The b piece completes and applies first; a's pull must still use b's values before the step.
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 3, 12, 8f, -4f));
    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 1, 3, 10, 2f, 0f));

    // means: a (1, 1), b (2, -1); with the pulls -2 and +2: a (-1, -1), b (4, 1); p -= 1 * g.
    assertThat(receiveVersion(1)).containsExactly(2f, 3f, -1f, 3f);
  }

  @Test
  void theStepDoneNamesEachMicroBatchsComputeAndEncodeTimeTheLongestOfItsChunks() {
    var shard = startedShard();

    shard.tell(timed(gradient(0, 0, 1, 10, 2f, 4f), 1_000, 100));
    shard.tell(timed(gradient(0, 0, 1, 12, 0f, 0f), 1_500, 200));
    shard.tell(timed(gradient(0, 1, 3, 10, 2f, 0f), 4_000, 300));
    shard.tell(timed(gradient(0, 1, 3, 12, 8f, -4f), 3_000, 100));

    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);
    assertThat(done.microBatchNanos()).containsExactly(1_700L, 4_300L);
    assertThat(done.times().computeNanos()).isEqualTo(4_000);
  }

  @Test
  void theStepDoneNamesTheRowsItAppliedAsTheSumOfItsMicroBatchesDigestsCountingARepeatOnce() {
    var shard = startedShard();
    long first = dptrain.protocol.RowsDigest.of(new int[] {4});
    long second = dptrain.protocol.RowsDigest.of(new int[] {9, 2, 6});

    shard.tell(withRows(gradient(0, 0, 1, 10, 2f, 4f), first));
    shard.tell(withRows(gradient(0, 0, 1, 10, 2f, 4f), first));
    shard.tell(withRows(gradient(0, 0, 1, 12, 0f, 0f), first));
    shard.tell(withRows(gradient(0, 1, 3, 10, 2f, 0f), second));
    shard.tell(withRows(gradient(0, 1, 3, 12, 8f, -4f), second));

    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);
    assertThat(done.rowsDigest()).isEqualTo(dptrain.protocol.RowsDigest.of(new int[] {4, 9, 2, 6}));
  }

  private static ShardProtocol.GradientChunk timed(ShardProtocol.GradientChunk chunk, long computeNanos, long encodeNanos) {
    return stamped(chunk, computeNanos, encodeNanos, 0);
  }

  private static ShardProtocol.GradientChunk withRows(ShardProtocol.GradientChunk chunk, long rowsDigest) {
    return stamped(chunk, 0, 0, rowsDigest);
  }

  /** The chunk as a worker sends it: with its compute and encode times and the digest of its rows. */
  private static ShardProtocol.GradientChunk stamped(ShardProtocol.GradientChunk chunk, long computeNanos, long encodeNanos,
      long rowsDigest) {
    return new ShardProtocol.GradientChunk(chunk.step(), chunk.microBatch(), chunk.microBatches(), chunk.sampleCount(),
        chunk.lossSum(), chunk.chunk(), chunk.sender(), chunk.lr(), chunk.finite(), chunk.baseVersion(), null, computeNanos,
        encodeNanos, rowsDigest);
  }

  @Test
  void aShardAskedForTheReportOfAStepItFinishedRepeatsItAndSaysNothingOfAStepItHasNotFinished() {
    var shard = startedShard();
    sendStepZero(shard);
    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);

    // The Coordinator's step went silent: its report of step 0 may have been lost on the way.
    shard.tell(new ShardProtocol.ReportStep(0));
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class)).isEqualTo(done);

    shard.tell(new ShardProtocol.ReportStep(1));
    coordinator.expectNoMessage(java.time.Duration.ofMillis(200));
    assertThat(parametersNow(shard)).as("asking applies nothing").containsExactly(0f, 1f, 1f, 5f);
  }

  @Test
  void aShardAskedAboutTheStepItIsStillAtPublishesItsValuesForThatStepAgain() {
    var shard = startedShard();

    // Step 0 went silent: a worker may have lost this shard's values of version 0.
    shard.tell(new ShardProtocol.ReportStep(0));

    assertThat(receiveVersion(0)).containsExactly(1f, 2f, 3f, 4f);
    coordinator.expectNoMessage(java.time.Duration.ofMillis(100));
    sendStepZero(shard);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class).step()).isZero();
  }

  @Test
  void anAsyncShardAskedForTheReportOfATicketItAppliedRepeatsItAndSaysNothingOfOneItHasNot() {
    var shard = KIT.spawn(ParameterShard.create(new ShardHostProtocol.HostShard("job", 0, 10, 4, OptimizerSpec.of("sgd",
        Map.of("lr", 1.0)), 2, coordinator.ref(), coordinator.ref(), Precision.FLOAT32, GradientRules.NONE, 0,
        dptrain.protocol.job.ConsistencyMode.ASYNC)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(10, 1f, 2f, 3f, 4f)));
    shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
    // Ticket 7: one micro-batch of 2 samples, in the shard's two pieces.
    shard.tell(new ShardProtocol.GradientChunk(7, 0, 1, 2, 1.0, TensorChunk.of(10, 2f, 2f), worker.ref(), 1.0, true));
    shard.tell(new ShardProtocol.GradientChunk(7, 0, 1, 2, 1.0, TensorChunk.of(12, 2f, 2f), worker.ref(), 1.0, true));
    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);
    assertThat(done.step()).isEqualTo(7);
    float[] applied = parametersNow(shard);

    // The ticket went silent at the Coordinator: this shard's report may have been lost on the way.
    shard.tell(new ShardProtocol.ReportStep(7));
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class)).isEqualTo(done);

    shard.tell(new ShardProtocol.ReportStep(8));
    coordinator.expectNoMessage(java.time.Duration.ofMillis(200));
    assertThat(parametersNow(shard)).as("asking applies nothing").containsExactly(applied);
  }

  @Test
  void aChunkThatArrivesTwiceCountsOnce() {
    var shard = startedShard();

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 1, 1, 10, 2f, 4f));

    var piece = worker.expectMessageClass(WorkerProtocol.ParametersChunk.class);
    assertThat(piece.chunk().toArray()).containsExactly(-1f, -2f);
  }

  @Test
  void chunksForAnotherStepOrOutsideThePiecesAreRefusedCountedAndNotApplied() {
    var shard = startedShard();

    LoggingTestKit.warn("is for step 5").expect(KIT.system(), () -> {
      shard.tell(gradient(5, 0, 1, 10, 100f, 100f));
      return null;
    });
    LoggingTestKit.warn("which is not one of this shard's float32 pieces").expect(KIT.system(), () -> {
      shard.tell(gradient(0, 0, 1, 11, 100f, 100f));
      return null;
    });

    // The misfit belongs to the step under way: the Coordinator hears of it, to have it computed again.
    var refusal = coordinator.expectMessageClass(CoordinatorProtocol.ChunkRefused.class);
    assertThat(refusal.step()).isZero();
    assertThat(refusal.microBatch()).isZero();
    assertThat(refusal.sender()).isEqualTo(worker.ref());
    assertThat(parametersNow(shard)).containsExactly(1f, 2f, 3f, 4f);
    shard.tell(new ShardProtocol.GetParameters(coordinator.ref()));
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.ShardParametersChunk.class).refused()).isEqualTo(2);
  }

  @Test
  void valuesThatAreNotFiniteUnderAFiniteFlagAreRefusedAndTheStepWaitsForAGoodCopy() {
    var shard = startedShard();

    LoggingTestKit.warn("holds NaN or Inf values although it says its gradient is finite").expect(KIT.system(), () -> {
      shard.tell(gradient(0, 0, 1, 10, Float.NaN, 4f));
      return null;
    });
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.ChunkRefused.class).microBatch()).isZero();
    sendStepZero(shard);

    // As if the NaN had never come: the mean of the good copies.
    assertThat(receiveVersion(1)).containsExactly(0f, 1f, 1f, 5f);
  }

  @Test
  void withBackupWorkersAStepClosesWithTheMicroBatchesTheCoordinatorNamesAndDropsTheRest() {
    var shard = KIT.spawn(ParameterShard.create(new ShardHostProtocol.HostShard("job", 0, 10, 4,
        OptimizerSpec.of("sgd", Map.of("lr", 1.0)), 2, coordinator.ref(), coordinator.ref(), Precision.FLOAT32,
        GradientRules.NONE, 0, dptrain.protocol.job.ConsistencyMode.BACKUP)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(10, 1f, 2f)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(12, 3f, 4f)));
    shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
    receiveVersion(0);

    // Micro-batch 1 arrives in full, but the step closes with micro-batch 0 alone.
    shard.tell(gradient(0, 1, 3, 10, 300f, 300f));
    shard.tell(gradient(0, 1, 3, 12, 300f, 300f));
    shard.tell(new ShardProtocol.CloseStep(0, 2, new int[] {0}));
    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));

    assertThat(receiveVersion(1)).containsExactly(-1f, -2f, 3f, 4f);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class).sampleCount()).isEqualTo(1);
  }

  @Test
  void aWorkerThatJoinsGetsTheCurrentValues() {
    var shard = startedShard();
    TestProbe<WorkerProtocol.Command> joiner = KIT.createTestProbe();

    shard.tell(new ShardProtocol.SetWorkers(List.of(worker.ref(), joiner.ref())));

    var first = joiner.expectMessageClass(WorkerProtocol.ParametersChunk.class);
    var second = joiner.expectMessageClass(WorkerProtocol.ParametersChunk.class);
    assertThat(first.version()).isZero();
    assertThat(first.chunk().toArray()).containsExactly(1f, 2f);
    assertThat(second.chunk().toArray()).containsExactly(3f, 4f);
    worker.expectNoMessage();
  }

  @Test
  void aShardWithoutAllItsInitialValuesDoesNotStart() {
    var shard = KIT.spawn(ParameterShard.create(spec(1, 0, GradientRules.NONE)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(0, 1f, 2f)));

    LoggingTestKit.error("2 of 4 initial values loaded").expect(KIT.system(), () -> {
      shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
      return null;
    });
    worker.expectNoMessage();
  }

  @Test
  void theLearningRateComesWithTheChunksAndMustBeTheSameForTheWholeStep() {
    var shard = startedShard();

    shard.tell(withLr(gradient(0, 0, 1, 10, 2f, 4f), 0.5));
    LoggingTestKit.warn("the step's lr is 0.5").expect(KIT.system(), () -> {
      shard.tell(withLr(gradient(0, 1, 1, 10, 2f, 4f), 0.25));
      return null;
    });
    shard.tell(withLr(gradient(0, 1, 1, 10, 2f, 0f), 0.5));

    // mean (2, 2) at lr 0.5
    assertThat(worker.expectMessageClass(WorkerProtocol.ParametersChunk.class).chunk().toArray()).containsExactly(0f, 1f);
  }

  @Test
  void aStepWhoseGradientHoldsNanOrInfIsSkippedByEveryPieceAndReported() {
    var shard = startedShard();

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(nonFinite(gradient(0, 1, 1, 10, Float.NaN, 0f)));
    shard.tell(nonFinite(gradient(0, 1, 1, 12, 1f, Float.POSITIVE_INFINITY)));

    assertThat(receiveVersion(1)).containsExactly(1f, 2f, 3f, 4f);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class).skipped()).isTrue();
    assertThat(parametersNow(shard)).containsExactly(1f, 2f, 3f, 4f);
  }

  @Test
  void clippingByGlobalNormWaitsForTheCoordinatorsScaleBeforeApplying() {
    var shard = startedShard(new GradientRules(List.of(), 0, 1.0, 0, 0, 0));

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 1, 10, 2f, 0f));
    shard.tell(gradient(0, 1, 1, 12, 0f, 0f));

    // mean (2, 2, 0, 0): sum of squares 8, and nothing applied yet
    var squares = coordinator.expectMessageClass(CoordinatorProtocol.GradientSquares.class);
    assertThat(squares.sumSquares()).isEqualTo(8.0);
    worker.expectNoMessage();
    shard.tell(new ShardProtocol.ScaleGradient(0, 0.5));
    assertThat(receiveVersion(1)).containsExactly(0f, 1f, 3f, 4f);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class).skipped()).isFalse();
  }

  @Test
  void coupledPenaltiesApplyOnlyToTheirRanges() {
    // L2 0.5 on [10, 11) and L1 1 on [12, 14): gradient zero, so only the penalties move the values.
    var shard = startedShard(new GradientRules(List.of(new GradientRules.Penalty(10, 1, 0, 0.5, 0),
        new GradientRules.Penalty(12, 2, 1, 0, 0)), 0, 0, 0, 0, 0));

    shard.tell(gradient(0, 0, 1, 10, 0f, 0f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 1, 10, 0f, 0f));
    shard.tell(gradient(0, 1, 1, 12, 0f, 0f));

    // 1 - 0.5 * 1; 2 unchanged; 3 - sign(3); 4 - sign(4)
    assertThat(receiveVersion(1)).containsExactly(0.5f, 2f, 2f, 3f);
  }

  @Test
  void runningStatisticsAverageWhatTheWorkersReportAndFrozenRangesStay() {
    // [10, 12) running statistics with momentum 0.5, [12, 13) frozen, 13 a parameter (SGD lr 1).
    var shard = startedShard(GradientRules.NONE.withStatistics(List.of(new GradientRules.Statistic(10, 2, 0.5)))
        .freezing(List.of(new GradientRules.Range(12, 1))));

    // Two micro-batches of 2 rows each report n times their statistic: means (5, 9) and (7, 11).
    shard.tell(gradient(0, 0, 2, 10, 10f, 18f));
    shard.tell(gradient(0, 0, 2, 12, 6f, 2f));
    shard.tell(gradient(0, 1, 2, 10, 14f, 22f));
    shard.tell(gradient(0, 1, 2, 12, 6f, 2f));

    // 0.5 * 1 + 0.5 * 6 = 3.5; 0.5 * 2 + 0.5 * 10 = 6; 3 frozen; 4 - 1 (mean gradient 4/4)
    assertThat(receiveVersion(1)).containsExactly(3.5f, 6f, 3f, 3f);
  }

  @Test
  void forAFullBatchMethodTheShardOnlyReducesAndLeavesThePointsToTheCoordinator() {
    var spec = new ShardHostProtocol.HostShard("job", 0, 10, 4, OptimizerSpec.of("lbfgs", Map.of()), 2,
        coordinator.ref(), coordinator.ref(), Precision.FLOAT32, GradientRules.NONE);
    var shard = KIT.spawn(ParameterShard.create(spec));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(10, 1f, 2f)));
    shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(12, 3f, 4f)));
    shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 1, 3, 10, 2f, 0f));
    var piece = coordinator.expectMessageClass(CoordinatorProtocol.GradientPiece.class);
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 3, 12, 8f, -4f));

    assertThat(piece.chunk().offset()).isEqualTo(10);
    assertThat(piece.chunk().toArray()).containsExactly(1f, 1f);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.GradientPiece.class).chunk().toArray())
        .containsExactly(2f, -1f);
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class).sampleCount()).isEqualTo(4);
    worker.expectNoMessage();
  }

  private static ShardProtocol.GradientChunk withLr(ShardProtocol.GradientChunk c, double lr) {
    return new ShardProtocol.GradientChunk(c.step(), c.microBatch(), c.microBatches(), c.sampleCount(), c.lossSum(),
        c.chunk(), c.sender(), lr, c.finite());
  }

  private static ShardProtocol.GradientChunk nonFinite(ShardProtocol.GradientChunk c) {
    return new ShardProtocol.GradientChunk(c.step(), c.microBatch(), c.microBatches(), c.sampleCount(), c.lossSum(),
        c.chunk(), c.sender(), c.lr(), false);
  }
}
