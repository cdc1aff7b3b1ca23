package dptrain.coordinator.job;

import dptrain.protocol.job.GradientRules;
import dptrain.worker.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Penalties and gradient handling as the user asked for them, per layer where it matters.
 *
 * @param l1 L1 coefficient alpha (gradient alpha * sign(w)): one value for every layer, or one per layer
 * @param l2 coupled L2 coefficient lambda (penalty lambda/2 ||w||^2, gradient lambda * w), likewise
 * @param decoupled decoupled weight decay (w -= lr * lambda * w before the update), likewise
 * @param biases whether the penalties also apply to the biases (not by default)
 * @param clipValue clip every gradient value to [-c, c]; 0 = off
 * @param clipNorm scale the whole gradient to a global L2 norm of at most this; 0 = off
 * @param noiseEta annealed gradient noise variance eta / (1 + t)^gamma; 0 = off
 * @param tie parameter tying of a model pair: lambda ||W_A - W_B||^2 over each pair of
 *     corresponding weights (not the biases); 0 = off
 */
public record Regularization(
    List<Double> l1, List<Double> l2, List<Double> decoupled, boolean biases,
    double clipValue, double clipNorm, double noiseEta, double noiseGamma, double tie) {

  /** No tying. */
  public Regularization(List<Double> l1, List<Double> l2, List<Double> decoupled, boolean biases,
      double clipValue, double clipNorm, double noiseEta, double noiseGamma) {
    this(l1, l2, decoupled, biases, clipValue, clipNorm, noiseEta, noiseGamma, 0);
  }

  public Regularization {
    l1 = List.copyOf(l1);
    l2 = List.copyOf(l2);
    decoupled = List.copyOf(decoupled);
  }

  /** Whether any penalty, clipping or noise is asked for. */
  public boolean isActive() {
    return java.util.stream.Stream.of(l1, l2, decoupled).flatMap(List::stream).anyMatch(v -> v != 0)
        || clipValue != 0 || clipNorm != 0 || noiseEta != 0 || tie != 0;
  }

  /** The rules for this layout: one penalty range per layer's weights (and biases, when asked). */
  public GradientRules rulesFor(ParameterLayout layout, long seed) {
    int layers = layout.layers().size();
    List<GradientRules.Penalty> penalties = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      var layer = layout.layers().get(l);
      double a = perLayer(l1, l, layers, "--l1");
      double b = perLayer(l2, l, layers, "--l2");
      double c = perLayer(decoupled, l, layers, "--decoupled-decay");
      if (a == 0 && b == 0 && c == 0) {
        continue;
      }
      // A tied layer's weight is penalised once, with the layer that holds it; its own part is the bias.
      long length = layer.ownWeightSize() + (biases ? layer.out() : 0);
      for (int copy = 0; copy < layout.copies() && length > 0; copy++) {
        long from = layout.copyOffset(copy) + (layer.tied() ? layer.biasOffset() : layer.weightOffset());
        penalties.add(new GradientRules.Penalty(from, length, a, b, c));
      }
    }
    List<GradientRules.Tie> ties = new ArrayList<>();
    for (int l = 0; l < layers && tie != 0 && layout.copies() == 2; l++) {
      var layer = layout.layers().get(l);
      if (!layer.tied()) {
        ties.add(new GradientRules.Tie(layer.weightOffset(), layout.copyOffset(1) + layer.weightOffset(), layer.weightSize(), tie));
      }
    }
    return new GradientRules(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed).tying(ties);
  }

  private static double perLayer(List<Double> values, int layer, int layers, String option) {
    if (values.size() == 1) {
      return values.get(0);
    }
    if (values.size() != layers) {
      throw new IllegalArgumentException(option + " gives " + values.size() + " values; the model has " + layers
          + " layers (give one value, or one per layer)");
    }
    return values.get(layer);
  }
}
