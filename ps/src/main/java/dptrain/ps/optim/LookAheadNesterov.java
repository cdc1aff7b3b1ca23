package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * Nesterov momentum in the lecture's look-ahead form (Goodfellow et al. alg. 8.3): the
 * gradient is taken at the interim point theta + a v, which the shard sends the workers
 * instead of theta; then v = a v - lr g and theta = theta + v. Weight decay, when set, is
 * taken at the same interim point as the gradient.
 *
 * <p>torch.optim.SGD(nesterov=True) instead stores the look-ahead point itself as the
 * parameters and folds the correction into the update (p -= lr (g + mu b)); the two agree on
 * the points where gradients are taken but report different "parameters". Here the collected
 * parameters are theta, never the look-ahead point.
 */
final class LookAheadNesterov extends LookAheadMethod {
  private final double weightDecay;

  LookAheadNesterov(OptimizerSpec spec, FlatArray like) {
    super(spec.get("momentum"), like);
    this.weightDecay = spec.get("weight-decay");
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * interim(p, i);
      velocity.set(i, momentum * velocity.get(i) - lr * grad);
      p.set(i, p.get(i) + velocity.get(i));
    }
  }
}
