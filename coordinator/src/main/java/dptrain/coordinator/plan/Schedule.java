package dptrain.coordinator.plan;

/**
 * The job's steps on the time line: how many in all (from {@code --steps}, or epochs times the
 * steps per epoch), which epoch a step belongs to, and where evaluations fall (at the end of
 * every {@code evalEvery}-th epoch, or every {@code evalSteps} steps when that is set, and
 * after the last step).
 */
public record Schedule(long totalSteps, int stepsPerEpoch, int evalEvery, long evalSteps) {

  public static Schedule of(int rows, int batch, int epochs, long steps) {
    return of(rows, batch, epochs, steps, 1, 0);
  }

  public static Schedule of(int rows, int batch, int epochs, long steps, int evalEvery, long evalSteps) {
    int perEpoch = EpochPlan.stepsPerEpoch(rows, batch);
    return new Schedule(steps > 0 ? steps : (long) epochs * perEpoch, perEpoch, Math.max(1, evalEvery), Math.max(0, evalSteps));
  }

  public long epochOf(long step) {
    return step / stepsPerEpoch;
  }

  public int stepInEpoch(long step) {
    return (int) (step % stepsPerEpoch);
  }

  /** True when an evaluation follows this step. */
  public boolean endsEvaluationPeriod(long step) {
    long period = evalSteps > 0 ? evalSteps : (long) stepsPerEpoch * evalEvery;
    return (step + 1) % period == 0 || step + 1 == totalSteps;
  }

  public long epochs() {
    return (totalSteps + stepsPerEpoch - 1) / stepsPerEpoch;
  }
}
