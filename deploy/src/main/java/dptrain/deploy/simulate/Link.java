package dptrain.deploy.simulate;

/**
 * One direction of a host's network interface: messages cross it one after another at the
 * bandwidth (bytes per ms; 0 = unlimited). A message streams through the sender's and the
 * receiver's interfaces at once (cut-through, as TCP does), so its last byte arrives when the
 * slower of the two has carried it, plus the latency.
 */
final class Link {
  private final double bytesPerMs;
  private double freeAt;

  Link(double bytesPerMs) {
    this.bytesPerMs = bytesPerMs;
  }

  /** Carries {@code size} bytes starting no earlier than {@code earliest}; returns {start, end}. */
  double[] carry(double size, double earliest) {
    double start = Math.max(earliest, freeAt);
    double end = bytesPerMs <= 0 ? start : start + size / bytesPerMs;
    freeAt = end;
    return new double[] {start, end};
  }
}
