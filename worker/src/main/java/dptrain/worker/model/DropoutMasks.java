package dptrain.worker.model;

import dptrain.worker.random.Seeds;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where dropout, Gaussian dropout, additive input noise and DropConnect draw their random
 * values. Each input value is a pure function of (seed, step, training-set row, layer, unit),
 * so a sample's mask does not depend on which worker computes it, how the batch is split, or in
 * which order, and runs with any number of workers stay reproducible. DropConnect draws one
 * weight mask per (seed, step, layer), shared by every micro-batch of the step for the same reason.
 * Output noise on regression targets is drawn the same way, per (seed, step, row, output).
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
        double value = uniform(bits) < keep ? scale : 0.0;
        if (gaussian > 0) {
          value *= 1 + gaussian * gaussian(bits);
        }
        values[i * width + j] = value;
      }
    }
    NativeValues.write(mask, values);
  }

  /** Fills {@code noise} [n, width] with N(0, std^2) values for dense layer {@code layer}'s input over these rows. */
  void fillNoise(INDArray noise, int[] rows, int layer, double std) {
    int width = (int) noise.size(1);
    double[] values = new double[rows.length * width];
    long base = Seeds.derive(seed, "input-noise", step, layer);
    for (int i = 0; i < rows.length; i++) {
      long rowSeed = Seeds.derive(base, "row", rows[i]);
      for (int j = 0; j < width; j++) {
        values[i * width + j] = std * gaussian(Seeds.derive(rowSeed, "", j));
      }
    }
    NativeValues.write(noise, values);
  }

  /** Adds N(0, std^2) noise to the targets [n, width] of these rows (the lecture's output noise for regression). */
  void addTargetNoise(double[] targets, int[] rows, int width, double std) {
    long base = Seeds.derive(seed, "target-noise", step);
    for (int i = 0; i < rows.length; i++) {
      long rowSeed = Seeds.derive(base, "row", rows[i]);
      for (int j = 0; j < width; j++) {
        targets[i * width + j] += std * gaussian(Seeds.derive(rowSeed, "", j));
      }
    }
  }

  /** Fills the [in, out] DropConnect mask of dense layer {@code layer}: m / keep, m ~ Bernoulli(keep) per weight. */
  void fillConnections(INDArray mask, int layer, double keep) {
    double[] values = new double[(int) mask.length()];
    long base = Seeds.derive(seed, "dropconnect", step, layer);
    double scale = 1.0 / keep;
    for (int i = 0; i < values.length; i++) {
      values[i] = uniform(Seeds.derive(base, "", i)) < keep ? scale : 0.0;
    }
    NativeValues.write(mask, values);
  }

  private static double uniform(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }

  /** A standard normal value from 64 random bits (Box-Muller on two values derived from them). */
  private static double gaussian(long bits) {
    double u1 = ((Seeds.derive(bits, "g") >>> 11) + 1) * 0x1.0p-53;
    double u2 = (Seeds.derive(bits, "h") >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
