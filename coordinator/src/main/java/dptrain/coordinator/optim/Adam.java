package dptrain.coordinator.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba 2015) with torch.optim.Adam's semantics and order of operations:
 * g += wd * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * ND4J's AdamUpdater puts eps elsewhere and has no weight decay, hence this class.
 */
final class Adam implements Optimizer {
  private final OptimizerSpec spec;
  private final INDArray m;
  private final INDArray v;
  private final INDArray scratch;
  private long t;

  Adam(OptimizerSpec spec, INDArray m, INDArray v, INDArray scratch) {
    this.spec = spec;
    this.m = m;
    this.v = v;
    this.scratch = scratch;
  }

  @Override
  public void step(INDArray p, INDArray g) {
    t++;
    if (spec.weightDecay() != 0) {
      Blas.axpy(spec.weightDecay(), p, g);
    }
    m.muli(spec.beta1());
    Blas.axpy(1 - spec.beta1(), g, m);
    v.muli(spec.beta2());
    Blas.axpy(1 - spec.beta2(), scratch.assign(g).muli(g), v);
    double correction1 = 1 - Math.pow(spec.beta1(), t);
    double correction2 = 1 - Math.pow(spec.beta2(), t);
    Transforms.sqrt(scratch.assign(v), false).divi(Math.sqrt(correction2)).addi(spec.eps());
    Blas.axpy(-spec.lr() / correction1, scratch.rdivi(m), p);
  }
}
