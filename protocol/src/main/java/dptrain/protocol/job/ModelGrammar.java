package dptrain.protocol.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code --model} grammar: layers joined by '-', input width first.
 * <ul>
 *   <li>{@code W}: a dense layer of width W with the default activation (the last one is the output);
 *   <li>{@code W:ACT}: a dense layer with its own activation (on the last layer: the output
 *       activation); {@code W:maxout:K} has K linear pieces per unit, {@code W:rbf} is a layer of
 *       W Gaussian RBF units;
 *   <li>{@code dropout:P}: inverted dropout with keep probability P in (0, 1] on the next dense layer's input;
 *   <li>{@code gdropout:S}: Gaussian dropout, the next dense layer's input times N(1, S^2) noise;
 *   <li>{@code noise:S}: additive Gaussian noise N(0, S^2) on the next dense layer's input;
 *   <li>{@code dropconnect:P}: DropConnect, each weight of the next dense layer kept with probability P;
 *   <li>{@code init:SCHEME}: the next dense layer's weight initialisation (as {@code --init} takes it);
 *   <li>{@code tied:L}: parameter sharing, the next dense layer uses dense layer L's weight
 *       transposed (L counts dense layers from 1 and is earlier; the shapes must mirror), with a
 *       bias of its own, e.g. the tied autoencoder {@code 784-128:sigmoid-tied:1-784:sigmoid};
 *   <li>{@code bn} or {@code bn:M}: batch normalization of the previous layer's pre-activation
 *       (running statistics with momentum M, 0.1 by default).
 * </ul>
 * Example: {@code 784-dropout:0.8-512:relu-bn-256:gelu-10}. Activation names may hold
 * dashes ({@code leaky-relu:0.1}); a piece that starts neither with a digit nor with a layer
 * keyword continues the previous one.
 */
public final class ModelGrammar {
  private ModelGrammar() {}

  private static final Set<String> INPUT_LAYERS = Set.of("dropout", "gdropout", "noise", "dropconnect");
  private static final String KNOWN = "dropout:P, gdropout:S, noise:S, dropconnect:P, init:SCHEME, tied:L, bn[:M]";

  /**
   * The parsed layers: the widths, per dense layer its settings (activation "" = the default)
   * and its weight initialisation ("" = the one {@code --init} gives).
   */
  public record Layers(List<Integer> widths, List<LayerSpec> layers, List<String> inits) {
    /** The output layer's own activation, "" for the default. */
    public String outputActivation() {
      return layers.get(layers.size() - 1).activation();
    }
  }

  public static Layers parse(String text) {
    List<Integer> widths = new ArrayList<>();
    List<LayerSpec> layers = new ArrayList<>();
    List<String> inits = new ArrayList<>();
    String pendingInit = "";
    int pendingTie = -1;
    LayerSpec pending = LayerSpec.PLAIN;
    boolean pendingInput = false;
    for (String token : tokens(text)) {
      String[] parts = token.split(":", 2);
      String keyword = parts[0].trim();
      if (keyword.equals("init")) {
        if (widths.isEmpty() || !pendingInit.isEmpty() || parts.length < 2 || parts[1].isBlank()) {
          throw malformed(text, "'" + token + "' must name a scheme once, after a layer and before a dense layer");
        }
        pendingInit = parts[1].trim();
        pendingInput = true;
        continue;
      }
      if (keyword.equals("tied")) {
        pendingTie = tie(text, token, parts, pendingTie, layers.size());
        pendingInput = true;
        continue;
      }
      if (INPUT_LAYERS.contains(keyword)) {
        if (widths.isEmpty()) {
          throw malformed(text, "'" + token + "' must follow a layer and precede a dense layer");
        }
        pending = inputLayer(text, token, keyword, parts, pending);
        pendingInput = true;
        continue;
      }
      if (keyword.equals("bn")) {
        if (layers.isEmpty() || pendingInput || layers.get(layers.size() - 1).normalizesBatch()) {
          throw malformed(text, "'bn' must follow a dense layer (once)");
        }
        double momentum = parts.length == 2 ? number(text, token, "bn takes a momentum in (0, 1], e.g. bn:0.1", 0, 1) : LayerSpec.BATCH_NORM_MOMENTUM;
        LayerSpec last = layers.get(layers.size() - 1);
        layers.set(layers.size() - 1, last.batchNorm(momentum));
        continue;
      }
      int width = width(text, keyword);
      if (!widths.isEmpty()) {
        layers.add(pending.activation(parts.length == 2 ? parts[1] : "").tiedTo(pendingTie));
        inits.add(pendingInit);
      } else if (parts.length == 2) {
        throw malformed(text, "the input width " + keyword + " takes no activation");
      }
      widths.add(width);
      pending = LayerSpec.PLAIN;
      pendingInit = "";
      pendingTie = -1;
      pendingInput = false;
    }
    if (pendingInput) {
      throw malformed(text, "dropout, noise, dropconnect, init and tied must precede a dense layer");
    }
    if (widths.size() < 2) {
      throw malformed(text, "it needs an input width and at least one layer");
    }
    if (layers.get(layers.size() - 1).normalizesBatch()) {
      throw malformed(text, "'bn' normalizes a hidden layer, not the output");
    }
    return new Layers(widths, layers, inits);
  }

  /** {@code tied:L}: once per layer, L an earlier dense layer (1-based); returns it 0-based. */
  private static int tie(String text, String token, String[] parts, int pendingTie, int layersSoFar) {
    if (pendingTie >= 0 || layersSoFar == 0 || parts.length < 2) {
      throw malformed(text, "'" + token + "' must name an earlier dense layer once, before a dense layer (tied:1 is the first)");
    }
    try {
      int layer = Integer.parseInt(parts[1].trim());
      if (layer >= 1 && layer <= layersSoFar) {
        return layer - 1;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(text, "'" + token + "': tied names an earlier dense layer, 1.." + layersSoFar);
  }

  private static LayerSpec inputLayer(String text, String token, String keyword, String[] parts, LayerSpec p) {
    boolean repeated = switch (keyword) {
      case "dropout" -> p.keep() < 1;
      case "gdropout" -> p.gaussian() > 0;
      case "noise" -> p.noise() > 0;
      default -> p.dropsConnections();
    };
    if (repeated) {
      throw malformed(text, "'" + keyword + "' given twice for one layer");
    }
    return switch (keyword) {
      case "dropout" -> new LayerSpec(p.activation(), number(text, token,
          "dropout takes a keep probability in (0, 1], e.g. dropout:0.8", 0, 1), p.gaussian(), p.noise(), p.dropConnect(), 0);
      case "gdropout" -> new LayerSpec(p.activation(), p.keep(), number(text, token,
          "gdropout takes a standard deviation > 0, e.g. gdropout:0.5", 0, Double.MAX_VALUE), p.noise(), p.dropConnect(), 0);
      case "noise" -> new LayerSpec(p.activation(), p.keep(), p.gaussian(), number(text, token,
          "noise takes a standard deviation > 0, e.g. noise:0.1", 0, Double.MAX_VALUE), p.dropConnect(), 0);
      default -> new LayerSpec(p.activation(), p.keep(), p.gaussian(), p.noise(), number(text, token,
          "dropconnect takes a keep probability in (0, 1], e.g. dropconnect:0.5", 0, 1), 0);
    };
  }

  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (String piece : text.trim().split("-", -1)) {
      String head = piece.split(":", 2)[0];
      boolean starts = !piece.isEmpty()
          && (Character.isDigit(piece.charAt(0)) || INPUT_LAYERS.contains(head) || head.equals("bn") || head.equals("init")
              || head.equals("tied"));
      if (!starts && !tokens.isEmpty() && tokens.get(tokens.size() - 1).contains(":")) {
        tokens.set(tokens.size() - 1, tokens.get(tokens.size() - 1) + "-" + piece);
      } else {
        tokens.add(piece);
      }
    }
    return tokens;
  }

  private static int width(String text, String part) {
    try {
      int width = Integer.parseInt(part.trim());
      if (width >= 1) {
        return width;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(text, "'" + part + "' is not a width >= 1 or a known layer (" + KNOWN + ")");
  }

  /** The number after ':' in (low, high]. */
  private static double number(String text, String token, String expected, double low, double high) {
    String[] parts = token.split(":", 2);
    try {
      double value = Double.parseDouble(parts.length == 2 ? parts[1] : "");
      if (value > low && value <= high && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(text, "'" + token + "': " + expected);
  }

  private static IllegalArgumentException malformed(String text, String why) {
    return new IllegalArgumentException("malformed --model '" + text + "': " + why
        + " (expected e.g. 784-256-128-10 or 784-dropout:0.8-512:relu-bn-256:gelu-10)");
  }
}
