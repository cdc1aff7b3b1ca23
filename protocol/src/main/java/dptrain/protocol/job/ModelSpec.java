package dptrain.protocol.job;

import java.util.Collections;
import java.util.List;

/**
 * The network a job trains: layer widths (input first, output last), the hidden activation,
 * the output activation and the loss, all by their command-line names; per hidden layer an
 * activation that overrides the default ("" keeps it), and per dense layer the keep
 * probability of inverted dropout on its input (1 = no dropout) and the standard deviation s
 * of Gaussian dropout, multiplicative N(1, s^2) noise on its input (0 = none).
 */
public record ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
    List<String> layerActivations, List<Double> keep, List<Double> gaussian) {

  public ModelSpec {
    widths = List.copyOf(widths);
    int dense = widths.size() - 1;
    layerActivations = layerActivations.isEmpty() ? Collections.nCopies(Math.max(0, dense - 1), "") : List.copyOf(layerActivations);
    keep = keep.isEmpty() ? Collections.nCopies(Math.max(0, dense), 1.0) : List.copyOf(keep);
    gaussian = gaussian.isEmpty() ? Collections.nCopies(Math.max(0, dense), 0.0) : List.copyOf(gaussian);
    if (layerActivations.size() != Math.max(0, dense - 1) || keep.size() != dense || gaussian.size() != dense) {
      throw new IllegalArgumentException("model of " + dense + " dense layers with " + layerActivations.size()
          + " hidden activations and " + keep.size() + " dropout settings");
    }
  }

  /** A plain network: one activation for every hidden layer, no dropout. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss) {
    this(widths, hiddenActivation, outputActivation, loss, List.of(), List.of(), List.of());
  }

  /** Whether dense layer l's input is masked in training (dropout or Gaussian dropout). */
  public boolean masksInput(int layer) {
    return keep.get(layer) < 1 || gaussian.get(layer) > 0;
  }

  public int inputWidth() {
    return widths.get(0);
  }

  public int outputWidth() {
    return widths.get(widths.size() - 1);
  }

  /** Hidden layer l's activation (0-based). */
  public String activationOf(int hiddenLayer) {
    String own = layerActivations.get(hiddenLayer);
    return own.isEmpty() ? hiddenActivation : own;
  }

  /** The widths joined by dashes, as {@code --model} takes them. */
  public String widthsText() {
    return String.join("-", widths.stream().map(String::valueOf).toList());
  }
}
