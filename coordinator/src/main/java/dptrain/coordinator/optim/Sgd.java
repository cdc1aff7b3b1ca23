package dptrain.coordinator.optim;

import dptrain.protocol.job.OptimizerSpec;

/**
 * Stochastic gradient descent with torch.optim.SGD's semantics:
 * g += wd * p; b = g on the first step, else b = mu * b + (1 - dampening) * g;
 * g = g + mu * b with Nesterov, else g = b; p -= lr * g.
 */
final class Sgd implements Optimizer {
  private final float lr;
  private final float momentum;
  private final float keep;
  private final float weightDecay;
  private final boolean nesterov;
  private final float[] buffer;
  private boolean first = true;

  Sgd(OptimizerSpec spec, int size) {
    this.lr = (float) spec.lr();
    this.momentum = (float) spec.momentum();
    this.keep = (float) (1 - spec.dampening());
    this.weightDecay = (float) spec.weightDecay();
    this.nesterov = spec.nesterov();
    this.buffer = momentum != 0 ? new float[size] : null;
  }

  @Override
  public void step(float[] p, float[] g) {
    for (int i = 0; i < p.length; i++) {
      float grad = g[i] + weightDecay * p[i];
      if (buffer != null) {
        float b = first ? grad : momentum * buffer[i] + keep * grad;
        buffer[i] = b;
        grad = nesterov ? grad + momentum * b : b;
      }
      p[i] -= lr * grad;
    }
    first = false;
  }
}
