package dptrain.deploy.simulate;

/**
 * What a simulation predicts for one layout: samples/s, the mean step and its split (the
 * slowest node's compute and encode, the busiest shard host's decode and apply, the rest being
 * transfer and waiting), and the gradient bytes that cross a socket per step.
 */
public record Prediction(double samplesPerSecond, double stepMs, double computeMs, double encodeMs, double decodeMs,
    double applyMs, double gradientBytesPerStep) {

  /** The split in the order the charts stack it (MeasuredRun.PARTS). */
  double[] parts() {
    return new double[] {computeMs, encodeMs, decodeMs, applyMs, otherMs()};
  }

  double otherMs() {
    return Math.max(0, stepMs - computeMs - encodeMs - decodeMs - applyMs);
  }
}
