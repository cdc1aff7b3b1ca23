package dptrain.coordinator.step;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What each worker node has done in the completed steps, for whoever follows the run (the
 * dashboard's member list, Prometheus): the micro-batches it computed and the time it spent on
 * them. Counted from the step's assignments as each step completes, with the times the shards
 * saw; a micro-batch that went to another worker is counted for the one that computed it, and
 * one a backup step closed without is not counted. Offered at most once per {@code every},
 * keyed by node address.
 */
final class WorkerTally {
  private final Map<String, WorkerWork> work = new TreeMap<>();
  private final Address self;
  private final long everyNanos;
  private final LongSupplier clock;
  private long lastOffered;
  private boolean changed;

  WorkerTally(Address self, Duration every, LongSupplier clock) {
    this.self = self;
    this.everyNanos = every.toNanos();
    this.clock = clock;
    this.lastOffered = clock.getAsLong();
  }

  /**
   * A step completed with these assignments; {@code microBatchNanos} holds each micro-batch's time
   * by index (0: not counted), or nothing when the shards did not say (then every one counts).
   */
  void completed(List<StepDispatcher.Assignment> assignments, List<Long> microBatchNanos) {
    for (var assignment : assignments) {
      int index = assignment.compute().microBatch();
      long nanos = index < microBatchNanos.size() ? microBatchNanos.get(index) : -1;
      if (nanos != 0) {
        work.merge(nodeOf(assignment.worker()), new WorkerWork(1, Math.max(0, nanos)), WorkerWork::plus);
        changed = true;
      }
    }
  }

  /**
   * The totals so far, in node order, when they changed and {@code every} has passed since the
   * last offer (or {@code now} is asked).
   */
  Optional<Map<String, WorkerWork>> offer(boolean now) {
    long time = clock.getAsLong();
    if (!changed || (!now && time - lastOffered < everyNanos)) {
      return Optional.empty();
    }
    lastOffered = time;
    changed = false;
    return Optional.of(java.util.Collections.unmodifiableMap(new TreeMap<>(work)));
  }

  private String nodeOf(ActorRef<?> worker) {
    Address address = worker.path().address();
    return (address.hasGlobalScope() ? address : self).toString();
  }
}
