package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * RMSProp (Hinton 2012) as torch.optim.RMSprop: g += wd * p; r = alpha r + (1 - alpha) g^2;
 * centered: m = alpha m + (1 - alpha) g and avg = sqrt(r - m^2), else avg = sqrt(r); avg += eps;
 * with momentum b = mu b + g / avg and p -= lr b, else p -= lr g / avg.
 */
final class RmsProp implements Optimizer {
  private final double alpha;
  private final double eps;
  private final double weightDecay;
  private final double momentum;
  private final FlatArray squares;
  private final FlatArray means;
  private final FlatArray buffer;

  RmsProp(OptimizerSpec spec, FlatArray like) {
    this.alpha = spec.get("alpha");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.momentum = spec.get("momentum");
    this.squares = FlatArray.zeros(like.precision(), like.length());
    this.means = spec.flag("centered") ? FlatArray.zeros(like.precision(), like.length()) : null;
    this.buffer = momentum > 0 ? FlatArray.zeros(like.precision(), like.length()) : null;
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      squares.set(i, squares.get(i) * alpha + (1 - alpha) * grad * grad);
      double avg;
      if (means != null) {
        means.set(i, means.get(i) * alpha + (1 - alpha) * grad);
        double mean = means.get(i);
        avg = Math.sqrt(squares.get(i) - mean * mean) + eps;
      } else {
        avg = Math.sqrt(squares.get(i)) + eps;
      }
      if (buffer != null) {
        buffer.set(i, buffer.get(i) * momentum + grad / avg);
        p.set(i, p.get(i) - lr * buffer.get(i));
      } else {
        p.set(i, p.get(i) - lr * (grad / avg));
      }
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.stream.Stream.of(squares, means, buffer).filter(java.util.Objects::nonNull).toList();
  }
}
