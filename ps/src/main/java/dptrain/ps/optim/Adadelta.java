package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * AdaDelta (Zeiler 2012) as torch.optim.Adadelta: g += wd * p; s = rho s + (1 - rho) g^2;
 * delta = sqrt(d + eps) / sqrt(s + eps) * g; d = rho d + (1 - rho) delta^2; p -= lr delta.
 */
final class Adadelta implements Optimizer {
  private final double rho;
  private final double eps;
  private final double weightDecay;
  private final FlatArray squares;
  private final FlatArray deltas;

  Adadelta(OptimizerSpec spec, FlatArray like) {
    this.rho = spec.get("rho");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.squares = FlatArray.zeros(like.precision(), like.length());
    this.deltas = FlatArray.zeros(like.precision(), like.length());
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      squares.set(i, squares.get(i) * rho + (1 - rho) * grad * grad);
      double std = Math.sqrt(squares.get(i) + eps);
      double delta = Math.sqrt(deltas.get(i) + eps) / std * grad;
      deltas.set(i, deltas.get(i) * rho + (1 - rho) * delta * delta);
      p.set(i, p.get(i) - lr * delta);
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(squares, deltas);
  }
}
