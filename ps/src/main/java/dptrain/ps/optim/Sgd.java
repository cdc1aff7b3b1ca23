package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * Stochastic gradient descent with torch.optim.SGD's semantics:
 * g += wd * p; b = g on the first step, else b = mu * b + (1 - dampening) * g;
 * g = g + mu * b with Nesterov, else g = b; p -= lr * g.
 * torch's Nesterov form keeps the parameters at the look-ahead point (Sutskever et al. 2013);
 * {@link LookAheadNesterov} is the lecture's form, which keeps theta and looks ahead explicitly.
 */
final class Sgd implements Optimizer {
  private final double momentum;
  private final double keep;
  private final double weightDecay;
  private final boolean nesterov;
  private final FlatArray buffer;
  private boolean first = true;

  Sgd(OptimizerSpec spec, FlatArray like) {
    this.momentum = spec.get("momentum");
    this.keep = 1 - spec.get("dampening");
    this.weightDecay = spec.get("weight-decay");
    this.nesterov = spec.flag("nesterov");
    this.buffer = momentum != 0 ? FlatArray.zeros(like.precision(), like.length()) : null;
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      if (buffer != null) {
        double b = first ? grad : momentum * buffer.get(i) + keep * grad;
        buffer.set(i, b);
        b = buffer.get(i);
        grad = nesterov ? grad + momentum * b : b;
      }
      p.set(i, p.get(i) - lr * grad);
    }
    first = false;
  }

  @Override
  public java.util.List<FlatArray> state() {
    return buffer == null ? java.util.List.of() : java.util.List.of(buffer);
  }

  @Override
  public double[] counters() {
    return new double[] {first ? 1 : 0};
  }

  @Override
  public void restoreCounters(double[] values) {
    first = values[0] != 0;
  }
}
