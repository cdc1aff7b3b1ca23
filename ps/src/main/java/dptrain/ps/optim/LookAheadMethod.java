package dptrain.ps.optim;

import dptrain.protocol.tensor.FlatArray;

/**
 * A momentum method whose gradients are taken at the interim point theta + a v (Goodfellow et
 * al. alg. 8.3 and 8.7): it keeps the velocity v and tells the shard that point.
 */
abstract class LookAheadMethod implements Optimizer {
  protected final double momentum;
  protected final FlatArray velocity;

  LookAheadMethod(double momentum, FlatArray like) {
    this.momentum = momentum;
    this.velocity = FlatArray.zeros(like.precision(), like.length());
  }

  /** theta_i + a v_i, where the gradient of this step was taken. */
  protected double interim(FlatArray p, int i) {
    return p.get(i) + momentum * velocity.get(i);
  }

  @Override
  public final boolean looksAhead() {
    return true;
  }

  @Override
  public final void lookAheadPoint(FlatArray p, FlatArray point) {
    for (int i = 0; i < p.length(); i++) {
      point.set(i, interim(p, i));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(velocity);
  }
}
