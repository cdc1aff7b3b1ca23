package dptrain.coordinator.optim;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with torch.optim.SGD's semantics:
 * g += wd * p; b = g on the first step, else b = mu * b + (1 - dampening) * g;
 * g = g + mu * b with Nesterov, else g = b; p -= lr * g.
 */
final class Sgd implements Optimizer {
  private final OptimizerSpec spec;
  private final INDArray buffer;
  private boolean first = true;

  Sgd(OptimizerSpec spec, INDArray buffer) {
    this.spec = spec;
    this.buffer = buffer;
  }

  @Override
  public void step(INDArray p, INDArray g) {
    if (spec.weightDecay() != 0) {
      Blas.axpy(spec.weightDecay(), p, g);
    }
    INDArray direction = g;
    if (spec.momentum() != 0) {
      if (first) {
        buffer.assign(g);
      } else {
        buffer.muli(spec.momentum());
        Blas.axpy(1 - spec.dampening(), g, buffer);
      }
      if (spec.nesterov()) {
        Blas.axpy(spec.momentum(), buffer, g);
      } else {
        direction = buffer;
      }
    }
    first = false;
    Blas.axpy(-spec.lr(), direction, p);
  }
}
