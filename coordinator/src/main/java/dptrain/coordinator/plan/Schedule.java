package dptrain.coordinator.plan;

/**
 * The job's steps on the time line: how many in all (from {@code --steps}, or epochs times the
 * steps per epoch), which epoch a step belongs to, and where evaluations fall (at the end of
 * every {@code evalEvery}-th epoch, and after the last step).
 */
public record Schedule(long totalSteps, int stepsPerEpoch, int evalEvery) {

  public static Schedule of(int rows, int batch, int epochs, long steps) {
    return of(rows, batch, epochs, steps, 1);
  }

  public static Schedule of(int rows, int batch, int epochs, long steps, int evalEvery) {
    int perEpoch = EpochPlan.stepsPerEpoch(rows, batch);
    return new Schedule(steps > 0 ? steps : (long) epochs * perEpoch, perEpoch, Math.max(1, evalEvery));
  }

  public long epochOf(long step) {
    return step / stepsPerEpoch;
  }

  public int stepInEpoch(long step) {
    return (int) (step % stepsPerEpoch);
  }

  /** True when an evaluation follows this step. */
  public boolean endsEvaluationPeriod(long step) {
    return (step + 1) % ((long) stepsPerEpoch * evalEvery) == 0 || step + 1 == totalSteps;
  }

  public long epochs() {
    return (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
  }
}
