package dptrain.coordinator.job;

import java.util.List;

/**
 * How the starting weights and biases are drawn ({@code --init}, {@code --bias-init}): one
 * scheme for every layer, or one per layer; see {@code Initializer} for the schemes.
 */
public record Initialization(List<String> weights, List<String> biases) {
  public static final Initialization DEFAULT = new Initialization(List.of("auto"), List.of("zero"));

  public Initialization {
    weights = List.copyOf(weights);
    biases = List.copyOf(biases);
  }
}
