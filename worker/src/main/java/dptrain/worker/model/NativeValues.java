package dptrain.worker.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between a contiguous float32 or float64 ND4J array and a Java double[], for the
 * layers whose arithmetic runs as plain loops: one pass over the native buffer instead of a
 * native call per value.
 */
final class NativeValues {
  private NativeValues() {}

  static double[] read(INDArray array) {
    double[] values = new double[(int) array.length()];
    read(array, values);
    return values;
  }

  static void read(INDArray array, double[] into) {
    if (array.dataType() == DataType.DOUBLE) {
      array.data().asNioDouble().get((int) array.offset(), into, 0, into.length);
    } else {
      var floats = array.data().asNioFloat();
      int offset = (int) array.offset();
      for (int i = 0; i < into.length; i++) {
        into[i] = floats.get(offset + i);
      }
    }
  }

  static void write(INDArray array, double[] values) {
    if (array.dataType() == DataType.DOUBLE) {
      array.data().asNioDouble().put((int) array.offset(), values, 0, values.length);
    } else {
      var floats = array.data().asNioFloat();
      int offset = (int) array.offset();
      for (int i = 0; i < values.length; i++) {
        floats.put(offset + i, (float) values[i]);
      }
    }
  }
}
