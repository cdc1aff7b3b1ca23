package dptrain.deploy.chaos;

import dptrain.deploy.report.JsonLine;

/**
 * How long a run took to get past a fault, from its metrics.jsonl lines after the fault: until it
 * was beyond the furthest step it had reached again. Without a new generation (a stall, a worker
 * lost whose node held no shard) that is the longest pause between two steps, on the steps' own
 * clock. With one (a roll-back), the wall time until the new generation formed (as the lines
 * were read: the file is flushed about once a second) plus the new generation's time until it
 * passed the furthest step.
 */
final class Recovery {
  private final long faultNanos;
  private long furthest;
  private double lastElapsed = Double.NaN;
  private double longestPause;
  private double formedAfterSeconds = Double.NaN;
  private double seconds = Double.NaN;

  Recovery(long faultNanos, long furthestStep) {
    this.faultNanos = faultNanos;
    this.furthest = furthestStep;
  }

  /** A line read after the fault, at {@code nowNanos}. */
  void add(JsonLine line, long nowNanos) {
    switch (line.type()) {
      case "formed" -> {
        formedAfterSeconds = (nowNanos - faultNanos) / 1e9;
        seconds = Double.NaN;
        lastElapsed = Double.NaN;
      }
      case "step" -> onStep(line);
      default -> { }
    }
  }

  private void onStep(JsonLine step) {
    long index = (long) step.number("step");
    double elapsed = step.number("elapsed_s");
    if (Double.isNaN(formedAfterSeconds)) {
      if (!Double.isNaN(lastElapsed)) {
        longestPause = Math.max(longestPause, elapsed - lastElapsed);
      }
      lastElapsed = elapsed;
      furthest = Math.max(furthest, index);
    } else if (Double.isNaN(seconds) && index > furthest) {
      seconds = formedAfterSeconds + elapsed;
    }
  }

  /** The time to recover, in seconds (NaN while a new generation has not yet passed the furthest step). */
  double seconds() {
    return Double.isNaN(formedAfterSeconds) ? longestPause : seconds;
  }
}
