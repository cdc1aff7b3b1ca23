package dptrain.protocol;

/**
 * Where a step's time went, in nanoseconds, measured in the code path: the workers' gradient
 * computation and the encoding of their pushes (each the slowest micro-batch's), the shards'
 * decoding of the chunks into their staging buffers and their reduce-and-apply (each the
 * slowest shard's). What a step's wall time holds beyond these is transfer and waiting.
 */
public record StepTimes(long computeNanos, long encodeNanos, long decodeNanos, long applyNanos) {
  public static final StepTimes NONE = new StepTimes(0, 0, 0, 0);

  /** Each part the larger of the two: the critical path of parts that run side by side. */
  public StepTimes max(StepTimes other) {
    return new StepTimes(Math.max(computeNanos, other.computeNanos), Math.max(encodeNanos, other.encodeNanos),
        Math.max(decodeNanos, other.decodeNanos), Math.max(applyNanos, other.applyNanos));
  }

  public StepTimes plus(StepTimes other) {
    return new StepTimes(computeNanos + other.computeNanos, encodeNanos + other.encodeNanos,
        decodeNanos + other.decodeNanos, applyNanos + other.applyNanos);
  }
}
