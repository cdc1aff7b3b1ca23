package dptrain.worker.model;

import dptrain.worker.random.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded starting point, per layer. Weight schemes ({@code --init}, one for every layer or
 * one per layer), with fan_in = in and fan_out = out of the layer's [in, out] weight:
 * {@code uniform:a} U(-a, a); {@code normal:s} N(0, s^2); {@code lecun-normal} N(0, 1/fan_in),
 * {@code lecun-uniform} U(+-sqrt(3/fan_in)) (LeCun et al. 1998); {@code glorot-normal}
 * N(0, 2/(fan_in + fan_out)), {@code glorot-uniform} U(+-sqrt(6/(fan_in + fan_out))) (Glorot
 * and Bengio 2010); {@code he-normal} N(0, 2/fan_in), {@code he-uniform} U(+-sqrt(6/fan_in))
 * (He et al. 2015); {@code orthogonal} (Saxe et al. 2014: the Q of a Gaussian matrix's QR, signs
 * fixed by R's diagonal, as torch); {@code auto} = he-normal for relu layers, glorot-uniform for
 * the others. Biases ({@code --bias-init}): {@code zero} or {@code const:c}. Each layer draws from
 * its own stream of the seed, so the result does not depend on how the vector is later sharded.
 */
public final class Initializer {
  private Initializer() {}

  public static final String ALLOWED = "auto, uniform:A, normal:S, lecun-normal, lecun-uniform, glorot-normal, "
      + "glorot-uniform, he-normal, he-uniform, orthogonal";

  /** The default: {@code auto} weights and zero biases. */
  public static double[] initialParameters(ParameterLayout layout, Activation hidden, Activation output, long seed) {
    return initialParameters(layout, hidden, output, seed, List.of("auto"), List.of("zero"));
  }

  public static double[] initialParameters(ParameterLayout layout, Activation hidden, Activation output, long seed,
      List<String> weights, List<String> biases) {
    List<Activation> each = new java.util.ArrayList<>();
    for (int l = 0; l < layout.layers().size(); l++) {
      each.add(l + 1 < layout.layers().size() ? hidden : output);
    }
    return initialParameters(layout, each, seed, weights, biases);
  }

  /**
   * With each dense layer's own activation (the last one is the output's), which {@code auto}
   * looks at. A model pair's second network is drawn from a seed of its own: the two start apart.
   */
  public static double[] initialParameters(ParameterLayout layout, List<Activation> activations, long seed,
      List<String> weights, List<String> biases) {
    double[] first = network(layout, activations, seed, weights, biases);
    if (layout.copies() == 1) {
      return first;
    }
    double[] pair = new double[(int) layout.size()];
    System.arraycopy(first, 0, pair, 0, first.length);
    double[] second = network(layout, activations, Seeds.derive(seed, "pair", 1), weights, biases);
    System.arraycopy(second, 0, pair, (int) layout.copyOffset(1), second.length);
    return pair;
  }

  private static double[] network(ParameterLayout layout, List<Activation> activations, long seed,
      List<String> weights, List<String> biases) {
    double[] params = new double[(int) layout.copyOffset(1)];
    var layers = layout.layers();
    for (int l = 0; l < layers.size(); l++) {
      var layer = layers.get(l);
      Activation activation = activations.get(l);
      boolean rbf = l + 1 < layers.size() && layout.units(l).kind() == HiddenUnits.Kind.RBF;
      String scheme = perLayer(weights, l, layers.size(), "--init");
      if (scheme.equals("auto")) {
        scheme = rbf ? "uniform:1" : activation.equals(Activation.RELU) ? "he-normal" : "glorot-uniform";
      }
      if (!layer.tied()) {
        // A tied layer's weight is the earlier layer's, initialised there.
        fillWeights(params, (int) layer.weightOffset(), layer.in(), layer.out(), scheme, Seeds.random(seed, "init", l));
      }
      double bias = biasValue(perLayer(biases, l, layers.size(), "--bias-init"));
      // An RBF layer's "biases" are its widths sigma, which must not be 0.
      fill(params, layer.biasOffset(), layer.out(), rbf && bias == 0 ? 1 : bias);
      if (layer.normalizes()) {
        fill(params, layer.gammaOffset(), layer.out(), 1);
        fill(params, layer.runningVarianceOffset(), layer.out(), 1);
      }
      if (layer.alphaOffset() >= 0) {
        params[(int) layer.alphaOffset()] = HiddenUnits.PRELU_INIT;
      }
    }
    return params;
  }

  /** The activation each dense layer's {@code auto} scheme looks at, the output's last. */
  public static List<Activation> initHints(ParameterLayout layout, Activation output) {
    List<Activation> each = new java.util.ArrayList<>();
    for (int l = 0; l + 1 < layout.layers().size(); l++) {
      each.add(layout.units(l).initHint());
    }
    each.add(output);
    return each;
  }

  private static void fill(double[] params, long from, int length, double value) {
    java.util.Arrays.fill(params, (int) from, (int) from + length, value);
  }

  /** Checks every scheme's name and parameter; throws with a message naming the option. */
  public static void check(List<String> weights, List<String> biases, int layers) {
    for (int l = 0; l < layers; l++) {
      String scheme = perLayer(weights, l, layers, "--init");
      if (!scheme.equals("auto")) {
        fillWeights(new double[1], 0, 1, 1, scheme, new SplittableRandom(0));
      }
      biasValue(perLayer(biases, l, layers, "--bias-init"));
    }
  }

  private static String perLayer(List<String> values, int layer, int layers, String option) {
    if (values.size() == 1) {
      return values.get(0).trim();
    }
    if (values.size() != layers) {
      throw new IllegalArgumentException(option + " gives " + values.size() + " schemes; the model has " + layers
          + " layers (give one, or one per layer)");
    }
    return values.get(layer).trim();
  }

  private static void fillWeights(double[] params, int from, int in, int out, String scheme, SplittableRandom random) {
    String[] parts = scheme.split(":", 2);
    int to = from + in * out;
    switch (parts[0]) {
      case "uniform" -> uniform(params, from, to, positive(parts, scheme), random);
      case "normal" -> normal(params, from, to, positive(parts, scheme), random);
      case "lecun-normal" -> normal(params, from, to, Math.sqrt(1.0 / in), random);
      case "lecun-uniform" -> uniform(params, from, to, Math.sqrt(3.0 / in), random);
      case "glorot-normal" -> normal(params, from, to, Math.sqrt(2.0 / (in + out)), random);
      case "glorot-uniform" -> uniform(params, from, to, Math.sqrt(6.0 / (in + out)), random);
      case "he-normal" -> normal(params, from, to, Math.sqrt(2.0 / in), random);
      case "he-uniform" -> uniform(params, from, to, Math.sqrt(6.0 / in), random);
      case "orthogonal" -> Orthogonal.fill(params, from, in, out, random);
      default -> throw new IllegalArgumentException("--init: unknown scheme '" + scheme + "' (allowed: " + ALLOWED + ")");
    }
  }

  private static double positive(String[] parts, String scheme) {
    try {
      double value = Double.parseDouble(parts.length == 2 ? parts[1] : "");
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--init " + scheme + ": " + parts[0] + " needs a number > 0, e.g. "
        + parts[0] + ":0.5");
  }

  private static double biasValue(String scheme) {
    if (scheme.equals("zero")) {
      return 0;
    }
    if (scheme.startsWith("const:")) {
      try {
        double value = Double.parseDouble(scheme.substring(6));
        if (Double.isFinite(value)) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("--bias-init must be zero or const:C, got '" + scheme + "'");
  }

  private static void uniform(double[] params, int from, int to, double bound, SplittableRandom random) {
    for (int i = from; i < to; i++) {
      params[i] = random.nextDouble(-bound, bound);
    }
  }

  private static void normal(double[] params, int from, int to, double std, SplittableRandom random) {
    for (int i = from; i < to; i++) {
      params[i] = random.nextGaussian() * std;
    }
  }
}
