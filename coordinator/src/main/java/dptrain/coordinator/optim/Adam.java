package dptrain.coordinator.optim;

import dptrain.protocol.job.OptimizerSpec;

/**
 * Adam (Kingma and Ba 2015) with torch.optim.Adam's semantics and order of operations:
 * g += wd * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * ND4J's AdamUpdater puts eps elsewhere and has no weight decay, hence this class.
 */
final class Adam implements Optimizer {
  private final OptimizerSpec spec;
  private final float[] m;
  private final float[] v;
  private long t;

  Adam(OptimizerSpec spec, int size) {
    this.spec = spec;
    this.m = new float[size];
    this.v = new float[size];
  }

  @Override
  public void step(float[] p, float[] g) {
    t++;
    float b1 = (float) spec.beta1();
    float b2 = (float) spec.beta2();
    float oneMinusB1 = (float) (1 - spec.beta1());
    float oneMinusB2 = (float) (1 - spec.beta2());
    float weightDecay = (float) spec.weightDecay();
    float eps = (float) spec.eps();
    float stepSize = (float) (spec.lr() / (1 - Math.pow(spec.beta1(), t)));
    float correction2Sqrt = (float) Math.sqrt(1 - Math.pow(spec.beta2(), t));
    for (int i = 0; i < p.length; i++) {
      float grad = g[i] + weightDecay * p[i];
      float mi = m[i] * b1 + oneMinusB1 * grad;
      float vi = v[i] * b2 + oneMinusB2 * grad * grad;
      m[i] = mi;
      v[i] = vi;
      p[i] -= stepSize * (mi / ((float) Math.sqrt(vi) / correction2Sqrt + eps));
    }
  }
}
