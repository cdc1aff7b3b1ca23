package dptrain.coordinator.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** y += alpha * x, in place, without temporaries. */
final class Blas {
  private Blas() {}

  static void axpy(double alpha, INDArray x, INDArray y) {
    Nd4j.getBlasWrapper().level1().axpy(x.length(), alpha, x, y);
  }
}
