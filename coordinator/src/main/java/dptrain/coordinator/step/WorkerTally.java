package dptrain.coordinator.step;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * What each worker node has done in the completed steps, for whoever follows the run (the
 * dashboard's member list, Prometheus): the micro-batches it computed and the time it spent on
 * them. Counted from the step's assignments as each step completes, with the times the shards
 * saw; a micro-batch that went to another worker is counted for the one that computed it, and
 * one a backup step closed without is counted as dropped. Offered at most once per {@code every},
 * keyed by node address. From when each micro-batch reached the shards it also finds the node
 * each step waited on, and lets a {@link StragglerWatch} name one the steps keep waiting on; in
 * backup mode a {@link BackupDropWatch} names one whose micro-batches the steps keep dropping.
 */
final class WorkerTally {
  private final Map<String, WorkerWork> work = new TreeMap<>();
  private final StragglerWatch stragglers = new StragglerWatch();
  private final BackupDropWatch backupDrops = new BackupDropWatch();
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
   * by index (0: not counted), or nothing when the shards did not say (then every one counts), and
   * {@code arrivals} when each reached the shards (empty: they did not say), and {@code lastShard}
   * the shard that reported last, {@code lateNanos} after the one before (null: one shard).
   * A micro-batch of time 0 is one a backup step closed without: dropped, counted for its node.
   * Returns a straggler when this step makes one plain.
   *
   * <p>A step waited on the node whose micro-batches reached the shards last, by the shards'
   * clocks; or, when the last shard itself was later than that on the Coordinator's clock and sits
   * on a worker node, on that node: a node that stalls stalls its shard too, and a stalled shard
   * sees everyone else as late.
   */
  Optional<StragglerWatch.Straggler> completed(List<StepDispatcher.Assignment> assignments, List<Long> microBatchNanos,
      List<Long> arrivals, ActorRef<?> lastShard, long lateNanos) {
    Map<String, Long> latest = new TreeMap<>();
    Set<String> dropped = new TreeSet<>();
    for (var assignment : assignments) {
      int index = assignment.compute().microBatch();
      long nanos = index < microBatchNanos.size() ? microBatchNanos.get(index) : -1;
      if (nanos == 0) {
        dropped.add(nodeOf(assignment.worker()));
        work.merge(nodeOf(assignment.worker()), WorkerWork.droppedOne(), WorkerWork::plus);
        changed = true;
      } else {
        String node = nodeOf(assignment.worker());
        work.merge(node, new WorkerWork(1, Math.max(0, nanos)), WorkerWork::plus);
        changed = true;
        if (index < arrivals.size() && arrivals.get(index) > 0) {
          latest.merge(node, arrivals.get(index), Math::max);
        }
      }
    }
    Optional<StragglerWatch.Wait> wait = waitOf(latest);
    if (lastShard != null && latest.containsKey(nodeOf(lastShard)) && lateNanos > wait.map(StragglerWatch.Wait::nanos).orElse(0L)) {
      wait = Optional.of(new StragglerWatch.Wait(nodeOf(lastShard), lateNanos));
    }
    wait.ifPresent(w -> work.merge(w.node(), WorkerWork.waitedOn(w.nanos()), WorkerWork::plus));
    Optional<StragglerWatch.Straggler> waitedOn = stragglers.observe(wait);
    Optional<StragglerWatch.Straggler> outrun = backupDrops.observe(dropped);
    return waitedOn.isPresent() ? waitedOn : outrun;
  }

  /** The node whose last micro-batch came last, and how long after the latest of every other node's. */
  static Optional<StragglerWatch.Wait> waitOf(Map<String, Long> latest) {
    if (latest.size() < 2) {
      return Optional.empty();
    }
    var sorted = latest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
    return Optional.of(new StragglerWatch.Wait(sorted.get(0).getKey(), sorted.get(0).getValue() - sorted.get(1).getValue()));
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

  private String nodeOf(ActorRef<?> actor) {
    Address address = actor.path().address();
    return (address.hasGlobalScope() ? address : self).toString();
  }
}
