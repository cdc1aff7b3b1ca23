package dptrain.coordinator.progress;

import dptrain.coordinator.checkpoint.Checkpoint;
import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.coordinator.stopping.EarlyStopping;
import dptrain.protocol.tensor.FlatArray;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where one generation of training stands, as an immutable value: steps completed, samples
 * applied per epoch (each sample once per epoch: the exactly-once proof), the training loss of
 * the last step and of the period since the last evaluation, skipped steps, the last validation
 * loss, early stopping's bookkeeping and the best parameters it kept. Every change is a pure
 * function returning the next value.
 */
public record RunProgress(long completed, long[] samplesPerEpoch, double lastTrainLoss, double periodLossSum,
    long periodSamples, long skippedSteps, double lastValidationLoss, EarlyStopping stopping, Optional<Best> best) {

  /** Early stopping's best parameters (algorithm 7.1), with their test scores and the training loss then. */
  public record Best(FlatArray parameters, double testLoss, double testAccuracy, double trainLoss) {}

  /** The result of an evaluation: the progress after it and what early stopping says. */
  public record Evaluated(RunProgress progress, EarlyStopping.Verdict verdict) {}

  public RunProgress {
    samplesPerEpoch = samplesPerEpoch.clone();
  }

  /** Before the first step of a job of {@code epochs} epochs. */
  public static RunProgress start(EarlyStoppingSpec spec, long epochs) {
    return new RunProgress(0, new long[(int) epochs], Double.NaN, 0, 0, 0, Double.NaN, new EarlyStopping(spec),
        Optional.empty());
  }

  /** Where a checkpoint after {@code step} left it. */
  public static RunProgress resumed(EarlyStoppingSpec spec, long epochs, long step, Checkpoint.Progress p) {
    long[] samples = new long[(int) epochs];
    System.arraycopy(p.samplesPerEpoch(), 0, samples, 0, Math.min(samples.length, p.samplesPerEpoch().length));
    var best = p.bestParameters() == null ? Optional.<Best>empty()
        : Optional.of(new Best(p.bestParameters(), p.bestTestLoss(), p.bestTestAccuracy(), p.bestTrainLoss()));
    return new RunProgress(step, samples, p.lastTrainLoss(), 0, 0, p.skippedSteps(), p.lastValidationLoss(),
        new EarlyStopping(spec, p.bestLoss(), p.bestStep(), p.strikes()), best);
  }

  @Override
  public long[] samplesPerEpoch() {
    return samplesPerEpoch.clone();
  }

  /** Step {@code completed} of epoch {@code epoch} is applied: {@code samples} of them, with this summed loss. */
  public RunProgress afterStep(long epoch, int samples, double lossSum, boolean skipped) {
    long[] perEpoch = samplesPerEpoch.clone();
    perEpoch[(int) epoch] += samples;
    return new RunProgress(completed + 1, perEpoch, lossSum / samples, periodLossSum + lossSum, periodSamples + samples,
        skippedSteps + (skipped ? 1 : 0), lastValidationLoss, stopping, best);
  }

  /**
   * An evaluation ended the period: the training loss becomes the period's mean (as trained:
   * with dropout), not the last step's alone; a validation loss (NaN without a validation set)
   * is early stopping's to judge.
   */
  public Evaluated afterEvaluation(double validationLoss) {
    double trainLoss = periodSamples > 0 ? periodLossSum / periodSamples : lastTrainLoss;
    var next = new RunProgress(completed, samplesPerEpoch, trainLoss, 0, 0, skippedSteps, validationLoss, stopping, best);
    if (Double.isNaN(validationLoss)) {
      return new Evaluated(next, EarlyStopping.Verdict.GO_ON);
    }
    var observed = stopping.observe(completed, validationLoss);
    return new Evaluated(new RunProgress(completed, samplesPerEpoch, trainLoss, 0, 0, skippedSteps, validationLoss,
        observed.next(), best), observed.verdict());
  }

  /** These parameters are the best so far (their test scores given), at the current training loss. */
  public RunProgress withBest(FlatArray parameters, double testLoss, double testAccuracy) {
    return new RunProgress(completed, samplesPerEpoch, lastTrainLoss, periodLossSum, periodSamples, skippedSteps,
        lastValidationLoss, stopping, Optional.of(new Best(parameters, testLoss, testAccuracy, lastTrainLoss)));
  }

  /** Samples applied in epoch {@code epoch} so far. */
  public long samplesIn(long epoch) {
    return samplesPerEpoch[(int) epoch];
  }

  /** What a checkpoint keeps of it while in epoch {@code epoch}, with the lr schedule's state. */
  public Checkpoint.Progress checkpointed(long epoch, double[] lrState) {
    int e = (int) Math.min(epoch, samplesPerEpoch.length - 1);
    return new Checkpoint.Progress(skippedSteps, lrState, stopping.bestLoss(), stopping.bestStep(), stopping.strikes(),
        best.map(Best::parameters).orElse(null), best.map(Best::testLoss).orElse(Double.NaN),
        best.map(Best::testAccuracy).orElse(Double.NaN), best.map(Best::trainLoss).orElse(0.0), lastValidationLoss,
        lastTrainLoss, samplesPerEpoch[e], Arrays.copyOf(samplesPerEpoch, e + 1));
  }
}
