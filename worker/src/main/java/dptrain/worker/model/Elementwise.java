package dptrain.worker.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The element-wise steps of a dense layer as single Java passes over ND4J's native memory: the
 * bias and relu (or no units) in one pass after the gemm, and relu's, sigmoid's or tanh's
 * derivative times the delta in one pass. ND4J takes two to four native ops for each, and every
 * op costs more to set up (~10 us) than a small layer's arithmetic; a 2-4-2 step made of them
 * took 0.15-0.2 ms. The passes do the same IEEE float operations in the same order as those ops
 * (z + b, then z < 0 ? 0 : z; (1 - h) * h, then delta times it), so the bits are the same.
 * Contiguous row-major arrays only, views into a flat vector included, as {@link Gemm}.
 */
final class Elementwise {
  private Elementwise() {}

  /** Whether {@link #addBiasAndActivate} applies these element-wise units (null: units of another kind). */
  static boolean fuses(Activation units) {
    return units != null && (units.kind() == Activation.Kind.IDENTITY || units.kind() == Activation.Kind.RELU);
  }

  /** z = f(z + bias) per row, for relu, identity or no units (null). */
  static void addBiasAndActivate(INDArray z, INDArray bias, Activation units) {
    boolean relu = units != null && units.kind() == Activation.Kind.RELU;
    int rows = (int) z.size(0);
    int columns = (int) z.size(1);
    if (z.dataType() == DataType.FLOAT) {
      FloatBuffer values = floats(z);
      FloatBuffer b = floats(bias);
      for (int r = 0, at = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++, at++) {
          float v = values.get(at) + b.get(c);
          values.put(at, relu && v < 0 ? 0f : v);
        }
      }
    } else {
      DoubleBuffer values = doubles(z);
      DoubleBuffer b = doubles(bias);
      for (int r = 0, at = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++, at++) {
          double v = values.get(at) + b.get(c);
          values.put(at, relu && v < 0 ? 0.0 : v);
        }
      }
    }
  }

  /** delta *= f'(z), from h = f(z), for identity, relu (h > 0), sigmoid (h (1 - h)) and tanh (1 - h^2); see {@link Activation#multiplyByDerivative}. */
  static void multiplyByDerivative(Activation units, INDArray h, INDArray delta) {
    Activation.Kind kind = units.kind();
    if (kind == Activation.Kind.IDENTITY) {
      return;
    }
    int n = (int) delta.length();
    if (delta.dataType() == DataType.FLOAT) {
      FloatBuffer hs = floats(h);
      FloatBuffer ds = floats(delta);
      for (int i = 0; i < n; i++) {
        float hi = hs.get(i);
        float slope = switch (kind) {
          case RELU -> hi > 0 ? 1f : 0f;
          case SIGMOID -> (1f - hi) * hi;
          default -> 1f - hi * hi;
        };
        ds.put(i, ds.get(i) * slope);
      }
    } else {
      DoubleBuffer hs = doubles(h);
      DoubleBuffer ds = doubles(delta);
      for (int i = 0; i < n; i++) {
        double hi = hs.get(i);
        double slope = switch (kind) {
          case RELU -> hi > 0 ? 1.0 : 0.0;
          case SIGMOID -> (1.0 - hi) * hi;
          default -> 1.0 - hi * hi;
        };
        ds.put(i, ds.get(i) * slope);
      }
    }
  }

  /** Whether an array can be read as one contiguous row-major run of its own values. */
  static boolean contiguous(INDArray x) {
    return x.rank() == 2 && x.ordering() == 'c' && x.stride(1) == 1 && x.stride(0) == x.size(1) && !x.isEmpty()
        && x.offset() == x.data().offset() && (x.dataType() == DataType.FLOAT || x.dataType() == DataType.DOUBLE);
  }

  // As in Gemm: a view's buffer starts at the view's first value.
  private static FloatBuffer floats(INDArray x) {
    long n = x.length();
    return new FloatPointer(x.data().addressPointer()).position(0).limit(n).capacity(n).asBuffer();
  }

  private static DoubleBuffer doubles(INDArray x) {
    long n = x.length();
    return new DoublePointer(x.data().addressPointer()).position(0).limit(n).capacity(n).asBuffer();
  }
}
