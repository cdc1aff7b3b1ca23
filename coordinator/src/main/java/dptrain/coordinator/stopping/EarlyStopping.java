package dptrain.coordinator.stopping;

import dptrain.coordinator.job.EarlyStoppingSpec;

/**
 * The bookkeeping of early stopping, one validation loss at a time: the best loss and its step
 * i*, and how many evaluations in a row did not beat it (algorithm 7.1); or, in the second phase
 * of algorithm 7.3, whether the loss fell below the target.
 */
public final class EarlyStopping {
  /** What to do after an evaluation. */
  public enum Verdict {
    /** A new best: keep these parameters. */
    IMPROVED,
    /** Not better, patience left (or no early stopping): go on. */
    GO_ON,
    /** Stop training now. */
    STOP
  }

  private final EarlyStoppingSpec spec;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private long bestStep = -1;
  private int strikes;

  public EarlyStopping(EarlyStoppingSpec spec) {
    this.spec = spec;
  }

  public Verdict observe(long step, double validationLoss) {
    if (spec.stopsAtTarget()) {
      return validationLoss < spec.targetLoss() ? Verdict.STOP : Verdict.GO_ON;
    }
    if (!spec.keepsBest()) {
      return Verdict.GO_ON;
    }
    if (validationLoss < bestLoss) {
      bestLoss = validationLoss;
      bestStep = step;
      strikes = 0;
      return Verdict.IMPROVED;
    }
    strikes++;
    return strikes >= spec.patience() ? Verdict.STOP : Verdict.GO_ON;
  }

  public double bestLoss() {
    return bestLoss;
  }

  /** The step i* after which the best parameters were evaluated; -1 before any evaluation. */
  public long bestStep() {
    return bestStep;
  }

  /** How many evaluations in a row did not beat the best. */
  public int strikes() {
    return strikes;
  }

  /** Continues from a checkpoint's bookkeeping. */
  public void restore(double bestLoss, long bestStep, int strikes) {
    this.bestLoss = bestLoss;
    this.bestStep = bestStep;
    this.strikes = strikes;
  }
}
