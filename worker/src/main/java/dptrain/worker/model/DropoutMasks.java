package dptrain.worker.model;

import dptrain.worker.random.Seeds;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where inverted dropout draws its masks: each value m / keep with m ~ Bernoulli(keep), as a
 * pure function of (seed, step, training-set row, layer, unit). A sample's mask therefore does
 * not depend on which worker computes it, how the batch is split, or in which order, so runs
 * with any number of workers stay reproducible.
 */
public record DropoutMasks(long seed, long step) {

  /** Fills {@code mask} [n, width] for dense layer {@code layer}'s input over these rows. */
  void fill(INDArray mask, int[] rows, int layer, double keep) {
    int width = (int) mask.size(1);
    double[] values = new double[rows.length * width];
    long base = Seeds.derive(seed, "dropout", step, layer);
    double scale = 1.0 / keep;
    for (int i = 0; i < rows.length; i++) {
      long rowSeed = Seeds.derive(base, "row", rows[i]);
      for (int j = 0; j < width; j++) {
        double u = (Seeds.derive(rowSeed, "", j) >>> 11) * 0x1.0p-53;
        values[i * width + j] = u < keep ? scale : 0.0;
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
