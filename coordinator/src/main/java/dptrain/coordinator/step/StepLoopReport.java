package dptrain.coordinator.step;

/** What a {@link StepLoop} tells its parent: each completed step, each pause, or why it cannot go on. */
public sealed interface StepLoopReport {

  /**
   * Step {@code step} is applied by every shard. {@code dropped}: micro-batches a backup step
   * closed without (-1: not closed by quorum); {@code staleness}: the worst staleness of its
   * updates and {@code maxLead} the largest lead of a worker over the slowest so far (both -1 in
   * the synchronous modes); {@code times}: where its time went; {@code workerTally}: what
   * each worker node (by address) has computed so far in this generation, every few seconds and
   * at pauses (empty in between, and in the asynchronous modes); {@code rows}: the
   * {@link dptrain.protocol.RowsDigest} of the rows the shards applied, in hex (see
   * {@code StepTally.rows}); {@code straggler}: a worker node the synchronous steps have lately
   * kept waiting on, named once when it becomes plain (else null).
   */
  record StepCompleted(long step, int samples, double lossSum, boolean skipped, double lr, int dropped, long staleness,
      long bytes, long maxLead, dptrain.protocol.StepTimes times, java.util.Map<String, WorkerWork> workerTally, String rows,
      StragglerWatch.Straggler straggler) implements StepLoopReport {}

  /** Why the loop paused after a step. */
  enum PauseFor {
    EVALUATION,
    CHECKPOINT
  }

  /**
   * Training paused after {@code afterStep}; nothing later is handed out until {@link StepLoop.RunPeriod}.
   * {@code version}: the parameters' version the shards hold now (steps, or in async modes
   * tickets applied); {@code lrState}: the lr schedule's state, for the parent to observe and checkpoint.
   */
  record Paused(long afterStep, PauseFor reason, long version, double[] lrState) implements StepLoopReport {}

  /** Step {@code step} was silent for {@code silentFor}: its {@code count} micro-batch(es) went out again. */
  record Resent(long step, int count, java.time.Duration silentFor) implements StepLoopReport {}

  /** The step loop cannot go on (a step stayed silent past the timeout, a micro-batch was refused too often). */
  record LoopFailed(String reason) implements StepLoopReport {}
}
