package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/**
 * NAdam (Dozat 2016) exactly as torch.optim.NAdam in PyTorch 1.13: g += wd * p;
 * mu_t = b1 (1 - 0.5 * 0.96^(t psi)); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * denom = sqrt(v / (1 - b2^t)) + eps; p -= lr (1 - mu_t) / (1 - prod mu) g / denom
 * + lr mu_{t+1} / (1 - prod mu * mu_t * mu_{t+1}) m / denom.
 * Two faithful quirks of torch 1.13: the running product of mu is a float32 scalar whatever
 * the parameters' precision, and the second product multiplies mu_t in twice.
 */
final class Nadam implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final double momentumDecay;
  private final FlatArray m;
  private final FlatArray v;
  private float muProduct = 1f;
  private long t;

  Nadam(OptimizerSpec spec, FlatArray like) {
    this.beta1 = spec.get("beta1");
    this.beta2 = spec.get("beta2");
    this.eps = spec.get("eps");
    this.weightDecay = spec.get("weight-decay");
    this.momentumDecay = spec.get("momentum-decay");
    this.m = FlatArray.zeros(like.precision(), like.length());
    this.v = FlatArray.zeros(like.precision(), like.length());
  }

  @Override
  public void step(FlatArray p, FlatArray g, double lr) {
    t++;
    double correction2 = 1 - Math.pow(beta2, t);
    double mu = beta1 * (1. - 0.5 * Math.pow(0.96, t * momentumDecay));
    double muNext = beta1 * (1. - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
    muProduct = muProduct * (float) mu;
    float muProductNext = muProduct * (float) mu * (float) muNext;
    double gradStep = -lr * (1. - mu) / (1. - muProduct);
    double momentStep = -lr * muNext / (1. - muProductNext);
    for (int i = 0; i < p.length(); i++) {
      double grad = g.get(i) + weightDecay * p.get(i);
      m.set(i, m.get(i) * beta1 + (1 - beta1) * grad);
      v.set(i, v.get(i) * beta2 + (1 - beta2) * grad * grad);
      double denom = Math.sqrt(v.get(i) / correction2) + eps;
      p.set(i, p.get(i) + gradStep * (grad / denom));
      p.set(i, p.get(i) + momentStep * (m.get(i) / denom));
    }
  }

  @Override
  public java.util.List<FlatArray> state() {
    return java.util.List.of(m, v);
  }

  @Override
  public double[] counters() {
    return new double[] {muProduct, t};
  }

  @Override
  public void restoreCounters(double[] values) {
    muProduct = (float) values[0];
    t = (long) values[1];
  }
}
