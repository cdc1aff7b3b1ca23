package dptrain.protocol.job;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --model} grammar: layers joined by '-', input width first.
 * <ul>
 *   <li>{@code W}: a dense layer of width W with the default activation (the last one is the output);
 *   <li>{@code W:ACT}: a dense layer with its own activation (on the last layer: the output activation);
 *   <li>{@code dropout:P}: inverted dropout with keep probability P in (0, 1] on the next dense layer's input;
 *   <li>{@code gdropout:S}: Gaussian dropout, the next dense layer's input times N(1, S^2) noise.
 * </ul>
 * Example: {@code 784-dropout:0.8-512:relu-dropout:0.5-256:gelu-10}. Activation names may hold
 * dashes ({@code leaky-relu:0.1}); a piece that starts neither with a digit nor with
 * {@code dropout} continues the previous one.
 */
public final class ModelGrammar {
  private ModelGrammar() {}

  /** The parsed layers: widths, per hidden layer an activation ("" = default), per dense layer a keep probability. */
  public record Layers(List<Integer> widths, List<String> activations, String outputActivation, List<Double> keep,
      List<Double> gaussian) {}

  public static Layers parse(String text) {
    List<String> tokens = tokens(text);
    List<Integer> widths = new ArrayList<>();
    List<String> activations = new ArrayList<>();
    List<Double> keep = new ArrayList<>();
    List<Double> gaussian = new ArrayList<>();
    double pendingKeep = 1.0;
    double pendingGaussian = 0.0;
    boolean pendingDropout = false;
    for (String token : tokens) {
      if (token.startsWith("dropout") || token.startsWith("gdropout")) {
        if (widths.isEmpty() || pendingDropout) {
          throw malformed(text, "'" + token + "' must follow a layer and precede a dense layer");
        }
        if (token.startsWith("gdropout")) {
          pendingGaussian = gaussianStd(text, token);
        } else {
          pendingKeep = keepProbability(text, token);
        }
        pendingDropout = true;
        continue;
      }
      String[] parts = token.split(":", 2);
      int width = width(text, parts[0]);
      if (!widths.isEmpty()) {
        keep.add(pendingKeep);
        gaussian.add(pendingGaussian);
        activations.add(parts.length == 2 ? parts[1] : "");
      } else if (parts.length == 2) {
        throw malformed(text, "the input width " + parts[0] + " takes no activation");
      }
      widths.add(width);
      pendingKeep = 1.0;
      pendingGaussian = 0.0;
      pendingDropout = false;
    }
    if (pendingDropout) {
      throw malformed(text, "dropout must precede a dense layer");
    }
    if (widths.size() < 2) {
      throw malformed(text, "it needs an input width and at least one layer");
    }
    String output = activations.remove(activations.size() - 1);
    return new Layers(widths, activations, output, keep, gaussian);
  }

  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    for (String piece : text.trim().split("-", -1)) {
      boolean starts = !piece.isEmpty()
          && (Character.isDigit(piece.charAt(0)) || piece.startsWith("dropout") || piece.startsWith("gdropout"));
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
    throw malformed(text, "'" + part + "' is not a width >= 1 or a known layer (dropout:P, gdropout:S)");
  }

  private static double keepProbability(String text, String token) {
    String[] parts = token.split(":", 2);
    try {
      double keep = Double.parseDouble(parts.length == 2 ? parts[1] : "");
      if (parts[0].equals("dropout") && keep > 0 && keep <= 1) {
        return keep;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(text, "'" + token + "': dropout takes a keep probability in (0, 1], e.g. dropout:0.8");
  }

  private static double gaussianStd(String text, String token) {
    String[] parts = token.split(":", 2);
    try {
      double std = Double.parseDouble(parts.length == 2 ? parts[1] : "");
      if (parts[0].equals("gdropout") && std > 0 && Double.isFinite(std)) {
        return std;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(text, "'" + token + "': gdropout takes a standard deviation > 0, e.g. gdropout:0.5");
  }

  private static IllegalArgumentException malformed(String text, String why) {
    return new IllegalArgumentException("malformed --model '" + text + "': " + why
        + " (expected e.g. 784-256-128-10 or 784-dropout:0.8-512:relu-256:gelu-10)");
  }
}
