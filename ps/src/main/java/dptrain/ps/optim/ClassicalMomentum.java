package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * The textbook momentum method (Goodfellow et al. alg. 8.2): v = a v - lr g; theta = theta + v,
 * with g += wd * theta when weight decay is set. Unlike torch's SGD momentum, the learning
 * rate sits inside the velocity, so changing lr mid-run changes only new contributions.
 */
final class ClassicalMomentum implements Optimizer {
  private final double momentum;
  private final double weightDecay;
  private final FlatArray velocity;

  ClassicalMomentum(OptimizerSpec spec, FlatArray like) {
    this.momentum = spec.get("momentum");
    this.weightDecay = spec.get("weight-decay");
    this.velocity = FlatArray.zeros(like.precision(), like.length());
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      velocity.set(i, momentum * velocity.get(i) - lr * grad);
      p.set(i, p.get(i) + velocity.get(i));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(velocity);
  }
}
