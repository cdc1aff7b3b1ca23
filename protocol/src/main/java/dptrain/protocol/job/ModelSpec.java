package dptrain.protocol.job;

import java.util.List;

/**
 * The network a job trains: layer widths (input first, output last), the hidden activation,
 * the output activation and the loss, all by their command-line names.
 */
public record ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss) {
  public ModelSpec {
    widths = List.copyOf(widths);
  }

  public int inputWidth() {
    return widths.get(0);
  }

  public int outputWidth() {
    return widths.get(widths.size() - 1);
  }

  /** The widths joined by dashes, as {@code --model} takes them. */
  public String widthsText() {
    return String.join("-", widths.stream().map(String::valueOf).toList());
  }
}
