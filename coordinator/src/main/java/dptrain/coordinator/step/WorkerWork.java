package dptrain.coordinator.step;

/**
 * One worker node's running totals in a generation: micro-batches counted, their compute plus
 * encode time, and how long steps waited on this node after every other had delivered.
 */
public record WorkerWork(long microBatches, long nanos, long waitedOnNanos) {
  public WorkerWork(long microBatches, long nanos) {
    this(microBatches, nanos, 0);
  }

  WorkerWork plus(WorkerWork more) {
    return new WorkerWork(microBatches + more.microBatches, nanos + more.nanos, waitedOnNanos + more.waitedOnNanos);
  }
}
