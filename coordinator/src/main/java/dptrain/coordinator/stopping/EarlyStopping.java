package dptrain.coordinator.stopping;

import dptrain.coordinator.job.EarlyStoppingSpec;

/**
 * The bookkeeping of early stopping, one validation loss at a time, as an immutable value: the
 * best loss and its step i*, and how many evaluations in a row did not beat it (algorithm 7.1);
 * or, in the second phase of algorithm 7.3, whether the loss fell below the target.
 *
 * @param bestStep the step i* after which the best parameters were evaluated; -1 before any evaluation
 * @param strikes how many evaluations in a row did not beat the best
 */
public record EarlyStopping(EarlyStoppingSpec spec, double bestLoss, long bestStep, int strikes) {
  /** What to do after an evaluation. */
  public enum Verdict {
    /** A new best: keep these parameters. */
    IMPROVED,
    /** Not better, patience left (or no early stopping): go on. */
    GO_ON,
    /** Stop training now. */
    STOP
  }

  /** The bookkeeping after one evaluation, and what to do. */
  public record Observed(EarlyStopping next, Verdict verdict) {}

  /** Before the first evaluation. */
  public EarlyStopping(EarlyStoppingSpec spec) {
    this(spec, Double.POSITIVE_INFINITY, -1, 0);
  }

  public Observed observe(long step, double validationLoss) {
    if (spec.stopsAtTarget()) {
      return new Observed(this, validationLoss < spec.targetLoss() ? Verdict.STOP : Verdict.GO_ON);
    }
    if (!spec.keepsBest()) {
      return new Observed(this, Verdict.GO_ON);
    }
    if (validationLoss < bestLoss) {
      return new Observed(new EarlyStopping(spec, validationLoss, step, 0), Verdict.IMPROVED);
    }
    var next = new EarlyStopping(spec, bestLoss, bestStep, strikes + 1);
    return new Observed(next, next.strikes >= spec.patience() ? Verdict.STOP : Verdict.GO_ON);
  }

  /** Why training stops after {@code validationLoss}, in one line. */
  public String stopReason(double validationLoss) {
    return spec.stopsAtTarget()
        ? String.format(java.util.Locale.ROOT, "validation loss %.4f below the target %.4f", validationLoss, spec.targetLoss())
        : "no improvement in " + spec.patience() + " evaluation(s)";
  }
}
