package dptrain.coordinator.step;

/** One worker node's running totals in a generation: micro-batches counted, and their compute plus encode time. */
public record WorkerWork(long microBatches, long nanos) {
  WorkerWork plus(WorkerWork more) {
    return new WorkerWork(microBatches + more.microBatches, nanos + more.nanos);
  }
}
