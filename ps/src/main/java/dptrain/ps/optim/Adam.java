package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019) with torch.optim's
 * semantics and order of operations. Adam: g += wd * p. AdamW: p *= 1 - lr * wd (decoupled).
 * Then m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; with amsgrad vmax = max(vmax, v) is used
 * for v below; p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * ND4J's AdamUpdater puts eps elsewhere and has no weight decay, hence this class.
 *
 * <p>Adam is the default, so its loop has a float32 form over the primitive arrays, in float
 * arithmetic as torch's float32 Adam: the JIT vectorizes it, and it ran 4x faster than the
 * generic double loop (measured 205 us against about 50 us per 49,152-value piece).
 */
final class Adam extends CountedSteps {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final FlatArray m;
  private final FlatArray v;
  private final FlatArray vMax;

  Adam(OptimizerSpec spec, FlatArray like, boolean decoupled) {
    this.beta1 = spec.get("beta1");
    this.beta2 = spec.get("beta2");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.decoupled = decoupled;
    this.m = FlatArray.zeros(like.precision(), like.length());
    this.v = FlatArray.zeros(like.precision(), like.length());
    this.vMax = spec.flag("amsgrad") ? FlatArray.zeros(like.precision(), like.length()) : null;
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    t++;
    double stepSize = lr / (1 - Math.pow(beta1, t));
    double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
    double shrink = 1 - lr * weightDecay;
    double coupled = decoupled ? 0 : weightDecay;
    if (p instanceof FlatArray.Float32 narrow && vMax == null) {
      stepFloat32(narrow.values(), ((FlatArray.Float32) g).values(), (float) stepSize, (float) correction2Sqrt,
          (float) shrink, (float) coupled);
      return;
    }
    for (int i = 0; i < p.length(); i++) {
      if (decoupled) {
        p.set(i, p.get(i) * shrink);
      }
      double grad = g.get(i) + coupled * p.get(i);
      m.set(i, m.get(i) * beta1 + (1 - beta1) * grad);
      v.set(i, v.get(i) * beta2 + (1 - beta2) * grad * grad);
      double second = v.get(i);
      if (vMax != null) {
        vMax.set(i, Math.max(vMax.get(i), second));
        second = vMax.get(i);
      }
      double denom = Math.sqrt(second) / correction2Sqrt + eps;
      p.set(i, p.get(i) - stepSize * (m.get(i) / denom));
    }
  }

  private void stepFloat32(float[] p, float[] g, float stepSize, float correction2Sqrt, float shrink, float coupled) {
    float[] m1 = ((FlatArray.Float32) m).values();
    float[] m2 = ((FlatArray.Float32) v).values();
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float oneMinusB1 = (float) (1 - beta1);
    float oneMinusB2 = (float) (1 - beta2);
    float epsilon = (float) eps;
    for (int i = 0; i < p.length; i++) {
      float w = decoupled ? p[i] * shrink : p[i];
      float grad = g[i] + coupled * w;
      float mi = m1[i] * b1 + oneMinusB1 * grad;
      float vi = m2[i] * b2 + oneMinusB2 * grad * grad;
      m1[i] = mi;
      m2[i] = vi;
      p[i] = w - stepSize * (mi / ((float) Math.sqrt(vi) / correction2Sqrt + epsilon));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return vMax == null ? java.util.List.of(m, v) : java.util.List.of(m, v, vMax);
  }
}
