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
 * Micro-batches each worker node has computed in the completed steps, for whoever follows the
 * run (the dashboard's member list, Prometheus). Counted from the step's assignments as each step
 * completes; a worker's micro-batches that went to another are counted for the one that computed
 * them. Offered at most once per {@code every}, keyed by node address.
 */
final class WorkerTally {
  private final Map<String, Long> microBatches = new TreeMap<>();
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

  void completed(List<StepDispatcher.Assignment> assignments) {
    for (var assignment : assignments) {
      microBatches.merge(nodeOf(assignment.worker()), 1L, Long::sum);
      changed = true;
    }
  }

  /** The counts so far, when they changed and {@code every} has passed since the last offer (or {@code now} is asked). */
  Optional<Map<String, Long>> offer(boolean now) {
    long time = clock.getAsLong();
    if (!changed || (!now && time - lastOffered < everyNanos)) {
      return Optional.empty();
    }
    lastOffered = time;
    changed = false;
    return Optional.of(Map.copyOf(microBatches));
  }

  private String nodeOf(ActorRef<?> worker) {
    Address address = worker.path().address();
    return (address.hasGlobalScope() ? address : self).toString();
  }
}
