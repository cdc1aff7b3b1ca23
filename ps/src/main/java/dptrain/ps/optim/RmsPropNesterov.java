package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * RMSProp with Nesterov momentum (Goodfellow et al. alg. 8.6): the gradient is taken at the
 * interim point theta + a v (sent to the workers); r = rho r + (1 - rho) g^2;
 * v = a v - lr g / sqrt(delta + r); theta = theta + v. Here rho is {@code --alpha} (as in
 * torch's RMSprop), a is {@code --momentum} and the small constant delta inside the root
 * (alg. 8.5's choice) is {@code --eps}. torch.optim has no such method.
 */
final class RmsPropNesterov extends LookAheadMethod {
  private final double decay;
  private final double eps;
  private final double weightDecay;
  private final FlatArray squares;

  RmsPropNesterov(OptimizerSpec spec, FlatArray like) {
    super(spec.get("momentum"), like);
    this.decay = spec.get("alpha");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.squares = FlatArray.zeros(like.precision(), like.length());
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * interim(p, i);
      squares.set(i, decay * squares.get(i) + (1 - decay) * grad * grad);
      velocity.set(i, momentum * velocity.get(i) - lr * grad / Math.sqrt(eps + squares.get(i)));
      p.set(i, p.get(i) + velocity.get(i));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(velocity, squares);
  }
}
