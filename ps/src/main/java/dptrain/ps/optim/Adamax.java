package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * Adamax (Kingma and Ba 2015, sec. 7) as torch.optim.Adamax: g += wd * p;
 * m = b1 m + (1 - b1) g; u = max(b2 u, |g| + eps); p -= (lr / (1 - b1^t)) m / u.
 */
final class Adamax extends CountedSteps {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final FlatArray m;
  private final FlatArray u;

  Adamax(OptimizerSpec spec, FlatArray like) {
    this.beta1 = spec.get("beta1");
    this.beta2 = spec.get("beta2");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.m = FlatArray.zeros(like.precision(), like.length());
    this.u = FlatArray.zeros(like.precision(), like.length());
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    t++;
    double clr = lr / (1 - Math.pow(beta1, t));
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      m.set(i, m.get(i) * beta1 + (1 - beta1) * grad);
      u.set(i, Math.max(u.get(i) * beta2, Math.abs(grad) + eps));
      p.set(i, p.get(i) - clr * (m.get(i) / u.get(i)));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(m, u);
  }
}
