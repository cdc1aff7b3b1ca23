package dptrain.ps.optim;

/** An optimizer whose update depends on how many steps it has taken (bias corrections, decays): its counter checkpoints. */
abstract class CountedSteps implements Optimizer {
  /** Steps taken so far. */
  protected long t;

  @Override
  public double[] counters() {
    return new double[] {t};
  }

  @Override
  public void restoreCounters(double[] values) {
    t = (long) values[0];
  }
}
