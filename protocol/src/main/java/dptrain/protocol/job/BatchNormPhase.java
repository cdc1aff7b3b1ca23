package dptrain.protocol.job;

/**
 * Which sums synchronised batch norm exchanges at a layer: in the forward pass sum z, sum z^2
 * and the rows; in the backward pass sum dy and sum dy x-hat. On the wire as 0 and 1.
 */
public enum BatchNormPhase {
  FORWARD,
  BACKWARD;

  public int wireNumber() {
    return ordinal();
  }

  public static BatchNormPhase fromWire(int number) {
    if (number < 0 || number >= values().length) {
      throw new IllegalArgumentException("batch-norm phase " + number + " is neither 0 (forward) nor 1 (backward)");
    }
    return values()[number];
  }
}
