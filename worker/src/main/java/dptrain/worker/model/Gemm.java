package dptrain.worker.model;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * C = alpha op(A) op(B) + beta C, straight into the BLAS that ND4J itself loads (OpenBLAS):
 * the same kernel and so the same bits as {@code Nd4j.gemm}, without the custom-op set-up ND4J
 * pays on every call (measured 10% on this model's largest product, 30% on the smaller ones).
 * Row-major matrices whose rows are contiguous, views into a flat vector included; anything
 * else goes through ND4J.
 */
final class Gemm {
  private Gemm() {}

  static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
      double beta) {
    DataType type = c.dataType();
    if (!direct(a, type) || !direct(b, type) || !direct(c, type)) {
      Nd4j.gemm(a, b, c, transposeA, transposeB, alpha, beta);
      return;
    }
    int m = (int) c.size(0);
    int n = (int) c.size(1);
    int k = (int) (transposeA ? a.size(0) : a.size(1));
    if ((transposeB ? b.size(1) : b.size(0)) != k || (transposeA ? a.size(1) : a.size(0)) != m
        || (transposeB ? b.size(0) : b.size(1)) != n) {
      throw new IllegalArgumentException("gemm of " + a.shapeInfoToString() + " and " + b.shapeInfoToString() + " into "
          + c.shapeInfoToString());
    }
    int opA = transposeA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int opB = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    if (type == DataType.FLOAT) {
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, (float) alpha, floats(a),
          (int) a.stride(0), floats(b), (int) b.stride(0), (float) beta, floats(c), (int) c.stride(0));
    } else {
      openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, opA, opB, m, n, k, alpha, doubles(a),
          (int) a.stride(0), doubles(b), (int) b.stride(0), beta, doubles(c), (int) c.stride(0));
    }
  }

  /** A row-major matrix of the job's type whose elements within a row are adjacent. */
  private static boolean direct(INDArray x, DataType type) {
    return x.rank() == 2 && x.dataType() == type && (type == DataType.FLOAT || type == DataType.DOUBLE)
        && x.ordering() == 'c' && x.stride(1) == 1 && x.stride(0) >= Math.max(1, x.size(1)) && !x.isEmpty()
        && x.offset() == x.data().offset() && x.data().length() >= x.size(0) * x.stride(0) - x.stride(0) + x.size(1);
  }

  // A view's buffer already starts at the view's offset (ND4J gives views a buffer of their own
  // over the parent's memory), so its address is where the matrix begins.
  private static FloatPointer floats(INDArray x) {
    return new FloatPointer(x.data().addressPointer());
  }

  private static DoublePointer doubles(INDArray x) {
    return new DoublePointer(x.data().addressPointer());
  }
}
