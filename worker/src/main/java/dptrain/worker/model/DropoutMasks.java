package dptrain.worker.model;

import dptrain.worker.random.Seeds;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where inverted and Gaussian dropout draw their masks, each value a pure function of
 * (seed, step, training-set row, layer, unit). A sample's mask therefore does
 * not depend on which worker computes it, how the batch is split, or in which order, so runs
 * with any number of workers stay reproducible.
 */
public record DropoutMasks(long seed, long step) {

  /**
   * Fills {@code mask} [n, width] for dense layer {@code layer}'s input over these rows: m / keep
   * with m ~ Bernoulli(keep), times 1 + s z with z ~ N(0, 1) when {@code gaussian} s > 0
   * (Gaussian dropout, Srivastava et al. 2014).
   */
  void fill(INDArray mask, int[] rows, int layer, double keep, double gaussian) {
    int width = (int) mask.size(1);
    double[] values = new double[rows.length * width];
    long base = Seeds.derive(seed, "dropout", step, layer);
    double scale = 1.0 / keep;
    for (int i = 0; i < rows.length; i++) {
      long rowSeed = Seeds.derive(base, "row", rows[i]);
      for (int j = 0; j < width; j++) {
        long bits = Seeds.derive(rowSeed, "", j);
        double u = (bits >>> 11) * 0x1.0p-53;
        double value = u < keep ? scale : 0.0;
        if (gaussian > 0) {
          double u1 = ((Seeds.derive(bits, "g") >>> 11) + 1) * 0x1.0p-53;
          double u2 = (Seeds.derive(bits, "h") >>> 11) * 0x1.0p-53;
          value *= 1 + gaussian * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        values[i * width + j] = value;
      }
    }
    // One bulk copy into the native buffer instead of a native call per value.
    if (mask.dataType() == DataType.DOUBLE) {
      mask.data().asNioDouble().put(0, values, 0, values.length);
    } else {
      FloatBuffer target = mask.data().asNioFloat();
      for (int i = 0; i < values.length; i++) {
        target.put(i, (float) values[i]);
      }
    }
  }
}
