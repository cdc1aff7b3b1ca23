package dptrain.protocol.tensor;

import java.util.Arrays;

/**
 * The element type of parameters, gradients and optimizer state ({@code --dtype}). float64
 * makes exact comparisons with a reference possible; float32 is the fast default.
 */
public enum Precision {
  FLOAT32("float32", 4),
  FLOAT64("float64", 8);

  private final String cliName;
  private final int bytes;

  Precision(String cliName, int bytes) {
    this.cliName = cliName;
    this.bytes = bytes;
  }

  public String cliName() {
    return cliName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  public static Precision fromName(String name) {
    return Arrays.stream(values())
        .filter(p -> p.cliName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--dtype must be float32 or float64, got '" + name + "'"));
  }
}
