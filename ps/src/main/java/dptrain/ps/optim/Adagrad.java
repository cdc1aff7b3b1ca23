package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * AdaGrad (Duchi et al. 2011) as torch.optim.Adagrad: g += wd * p; clr = lr / (1 + (t - 1) *
 * lr_decay); s += g^2; p -= clr * g / (sqrt(s) + eps), with s starting at
 * initial_accumulator_value.
 */
final class Adagrad extends CountedSteps {
  private final double lrDecay;
  private final double weightDecay;
  private final double eps;
  private final FlatArray sum;

  Adagrad(OptimizerSpec spec, FlatArray like) {
    this.lrDecay = spec.get("lr-decay");
    this.weightDecay = spec.get("weight-decay");
    this.eps = spec.get("eps");
    this.sum = FlatArray.zeros(like.precision(), like.length());
    sum.fill(spec.get("initial-accumulator-value"));
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    t++;
    double clr = lr / (1 + (t - 1) * lrDecay);
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      sum.set(i, sum.get(i) + grad * grad);
      double std = Math.sqrt(sum.get(i)) + eps;
      p.set(i, p.get(i) - clr * (grad / std));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(sum);
  }
}
