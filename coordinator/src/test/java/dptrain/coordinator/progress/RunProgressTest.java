package dptrain.coordinator.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.coordinator.stopping.EarlyStopping.Verdict;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import org.junit.jupiter.api.Test;

/** The run's progress as values: every step and evaluation gives a new one, the old one unchanged. */
class RunProgressTest {
  private final EarlyStoppingSpec patience1 = new EarlyStoppingSpec("7.1", 1, Double.NaN);

  @Test
  void stepsCountTheirSamplesPerEpochAndTheEvaluationTakesThePeriodsMeanLoss() {
    var start = RunProgress.start(EarlyStoppingSpec.NONE, 2);

    var later = start.afterStep(0, 8, 4.0, false).afterStep(0, 8, 2.0, true).afterStep(1, 4, 1.0, false);

    assertThat(start.completed()).isZero();
    assertThat(start.samplesIn(0)).as("the start is unchanged").isZero();
    assertThat(later.completed()).isEqualTo(3);
    assertThat(later.samplesPerEpoch()).containsExactly(16, 4);
    assertThat(later.skippedSteps()).isEqualTo(1);
    assertThat(later.lastTrainLoss()).as("the last step's own").isEqualTo(0.25);
    var evaluated = later.afterEvaluation(Double.NaN);
    assertThat(evaluated.verdict()).as("no validation set: nothing to judge").isEqualTo(Verdict.GO_ON);
    assertThat(evaluated.progress().lastTrainLoss()).as("7 over 20 samples").isEqualTo(7.0 / 20);
    assertThat(evaluated.progress().afterEvaluation(Double.NaN).progress().lastTrainLoss())
        .as("an empty period keeps the last loss").isEqualTo(7.0 / 20);
  }

  @Test
  void earlyStoppingJudgesTheValidationLossAndKeepsTheBestParametersWithTheirScores() {
    var progress = RunProgress.start(patience1, 1).afterStep(0, 8, 4.0, false);
    var first = progress.afterEvaluation(0.5);
    assertThat(first.verdict()).isEqualTo(Verdict.IMPROVED);
    var best = first.progress().withBest(FlatArray.zeros(Precision.FLOAT32, 3), 0.6, 0.8);

    var second = best.afterStep(0, 8, 8.0, false).afterEvaluation(0.7);

    assertThat(second.verdict()).isEqualTo(Verdict.STOP);
    var kept = second.progress().best().orElseThrow();
    assertThat(kept.testLoss()).isEqualTo(0.6);
    assertThat(kept.trainLoss()).as("the training loss when they were best").isEqualTo(0.5);
    assertThat(second.progress().stopping().bestStep()).isEqualTo(1);
    assertThat(second.progress().lastValidationLoss()).isEqualTo(0.7);
  }

  @Test
  void aCheckpointKeepsWhatAResumeNeedsAndTheResumeRestoresIt() {
    var progress = RunProgress.start(patience1, 3).afterStep(0, 8, 4.0, false).afterStep(1, 8, 2.0, true)
        .afterEvaluation(0.5).progress().withBest(FlatArray.zeros(Precision.FLOAT32, 3), 0.6, 0.8);

    var kept = progress.checkpointed(1, new double[] {0.01});
    var resumed = RunProgress.resumed(patience1, 3, progress.completed(), kept);

    assertThat(kept.samplesPerEpoch()).as("up to the epoch under way").containsExactly(8, 8);
    assertThat(kept.epochSamples()).isEqualTo(8);
    assertThat(resumed.completed()).isEqualTo(2);
    assertThat(resumed.samplesPerEpoch()).containsExactly(8, 8, 0);
    assertThat(resumed.skippedSteps()).isEqualTo(1);
    assertThat(resumed.stopping()).isEqualTo(progress.stopping());
    assertThat(resumed.best().orElseThrow().testAccuracy()).isEqualTo(0.8);
    assertThat(resumed.lastTrainLoss()).isEqualTo(progress.lastTrainLoss());
  }

  @Test
  void theSummaryCountsTheDroppedMicroBatchesTheBytesAndTheStalenessOnlyWhereTheyApply() {
    var none = dptrain.protocol.StepTimes.NONE;
    var totals = RunTotals.NONE.afterStep(1, -1, 100, -1, none).afterStep(-1, 3, 300, 2, none);

    var fields = java.util.Arrays.asList(totals.summaryFields(
        new RunTotals.Summary("async", 2, 5, 0, 1, "none", 2, true)));

    assertThat(totals.droppedMicroBatches()).isEqualTo(1);
    assertThat(fields).containsSubsequence("gradient_bytes_per_step", 200L, "gradient_bytes_per_step_per_worker", 100L)
        .containsSubsequence("refused_messages", 5L).containsSubsequence("mean_staleness", 1.5, "max_lead", 2L);
  }

  @Test
  void theSummaryGivesTheMeanStepsSplitInMilliseconds() {
    var totals = RunTotals.NONE.afterStep(-1, -1, 0, -1, new dptrain.protocol.StepTimes(3_000_000, 200_000, 100_000, 500_000))
        .afterStep(-1, -1, 0, -1, new dptrain.protocol.StepTimes(1_000_000, 400_000, 300_000, 700_000));

    var fields = java.util.Arrays.asList(totals.summaryFields(new RunTotals.Summary("sync", 2, 0, 0, 0, "none", 1, false)));

    assertThat(fields).containsSubsequence("compute_ms", 2.0, "encode_ms", 0.3, "decode_ms", 0.2, "apply_ms", 0.6)
        .doesNotContain("mean_staleness");
  }
}
