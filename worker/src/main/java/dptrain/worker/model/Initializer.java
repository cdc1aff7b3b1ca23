package dptrain.worker.model;

import dptrain.worker.random.Seeds;
import java.util.SplittableRandom;

/**
 * The seeded starting point: He normal N(0, 2/fan_in) for relu layers (He et al. 2015), Glorot
 * uniform U(-a, a) with a = sqrt(6/(fan_in + fan_out)) for the others (Glorot and Bengio 2010);
 * biases zero. Each layer draws from its own stream of the seed, so the result does not depend
 * on how the vector is later split into shards.
 */
public final class Initializer {
  private Initializer() {}

  public static double[] initialParameters(ParameterLayout layout, Activation hidden, Activation output, long seed) {
    double[] params = new double[(int) layout.size()];
    var layers = layout.layers();
    for (int l = 0; l < layers.size(); l++) {
      var layer = layers.get(l);
      Activation activation = l + 1 < layers.size() ? hidden : output;
      SplittableRandom random = Seeds.random(seed, "init", l);
      int from = (int) layer.weightOffset();
      int to = from + (int) layer.weightSize();
      if (activation == Activation.RELU) {
        double std = Math.sqrt(2.0 / layer.in());
        for (int i = from; i < to; i++) {
          params[i] = random.nextGaussian() * std;
        }
      } else {
        double bound = Math.sqrt(6.0 / (layer.in() + layer.out()));
        for (int i = from; i < to; i++) {
          params[i] = random.nextDouble(-bound, bound);
        }
      }
    }
    return params;
  }
}
