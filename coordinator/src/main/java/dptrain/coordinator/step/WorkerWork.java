package dptrain.coordinator.step;

/**
 * One worker node's running totals in a generation: micro-batches counted, their compute plus
 * encode time, how long steps waited on this node after every other had delivered, and how many
 * of its micro-batches backup steps closed without.
 */
public record WorkerWork(long microBatches, long nanos, long waitedOnNanos, long dropped) {
  public WorkerWork(long microBatches, long nanos) {
    this(microBatches, nanos, 0, 0);
  }

  static WorkerWork waitedOn(long nanos) {
    return new WorkerWork(0, 0, nanos, 0);
  }

  static WorkerWork droppedOne() {
    return new WorkerWork(0, 0, 0, 1);
  }

  WorkerWork plus(WorkerWork more) {
    return new WorkerWork(microBatches + more.microBatches, nanos + more.nanos, waitedOnNanos + more.waitedOnNanos,
        dropped + more.dropped);
  }
}
