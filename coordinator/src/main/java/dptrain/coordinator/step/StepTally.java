package dptrain.coordinator.step;

import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.StepTimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shards' StepDone reports, per step, one per shard. Shards report independently, so one
 * shard's report for step t + 1 may arrive before another's for step t; and a report may arrive
 * twice (a shard repeats it when a re-sent step shows that the Coordinator did not hear it, or the
 * wire duplicated it): the repeat is not a second shard.
 */
final class StepTally {
  /** The last shard to report a step, and how long after the shard before it, on the Coordinator's clock. */
  record Lateness(int shard, long nanos) {}

  /** A shard's report, with when it arrived. */
  private record Report(StepDone done, long receivedAt) {}

  private final Map<Long, Map<Integer, Report>> byStep = new HashMap<>();

  void add(StepDone done) {
    byStep.computeIfAbsent(done.step(), step -> new LinkedHashMap<>()).putIfAbsent(done.shard(), new Report(done, System.nanoTime()));
  }

  void clear() {
    byStep.clear();
  }

  /** Which shard reported the step last, and by how long (null with one shard); ask before {@link #take}. */
  Lateness lateness(long step) {
    List<Report> reports = reports(step);
    int n = reports.size();
    return n < 2 ? null : new Lateness(reports.get(n - 1).done().shard(), reports.get(n - 1).receivedAt()
        - reports.get(n - 2).receivedAt());
  }

  /** Whether shard {@code shard} has reported the step. */
  boolean reported(long step, int shard) {
    return byStep.getOrDefault(step, Map.of()).containsKey(shard);
  }

  /** How many shards have reported the step. */
  int count(long step) {
    return byStep.getOrDefault(step, Map.of()).size();
  }

  private List<Report> reports(long step) {
    return List.copyOf(byStep.getOrDefault(step, Map.of()).values());
  }

  /**
   * Removes the step's reports and returns one (every shard reports the same totals), marked
   * skipped when any shard skipped.
   */
  StepDone take(long step) {
    List<StepDone> reports = byStep.remove(step).values().stream().map(Report::done).toList();
    StepDone first = reports.get(0);
    boolean skipped = reports.stream().anyMatch(StepDone::skipped);
    long staleness = reports.stream().mapToLong(StepDone::staleness).max().orElse(0);
    long bytes = reports.stream().mapToLong(StepDone::bytes).sum();
    // Shards work side by side: the step waited for the slowest of each part.
    StepTimes times = reports.stream().map(StepDone::times).reduce(StepTimes.NONE, StepTimes::max);
    return new StepDone(first.shard(), first.step(), first.sampleCount(), first.lossSum(), skipped, first.generation(), staleness,
        bytes, times, microBatchNanos(reports), first.rowsDigest(), widestArrivals(reports));
  }

  /**
   * The step's rows digest as metrics.jsonl records it: the one every shard reported, or, when
   * they differ (a shard applied other rows than another: a bug the exactly-once check must see),
   * each shard's, comma-separated, after "disagree:".
   */
  String rows(long step) {
    var digests = reports(step).stream().map(r -> dptrain.protocol.RowsDigest.hex(r.done().rowsDigest())).distinct().toList();
    return digests.size() == 1 ? digests.get(0) : "disagree:" + String.join(",", digests);
  }

  /**
   * The arrivals as the shard that waited longest between its first and last micro-batch saw them
   * (each shard times on its own clock, so views are not mixed), leaving out the shard that
   * reported last when there are others: that one is the likeliest to have stalled itself (on a
   * stopped node), and a stalled shard sees the others as late.
   */
  private static List<Long> widestArrivals(List<StepDone> reports) {
    var views = reports.size() > 1 ? reports.subList(0, reports.size() - 1) : reports;
    return views.stream().map(StepDone::microBatchArrivals)
        .max(java.util.Comparator.comparingLong(StepTally::spread)).orElse(List.of());
  }

  private static long spread(List<Long> arrivals) {
    var counted = arrivals.stream().mapToLong(Long::longValue).filter(a -> a > 0).summaryStatistics();
    return counted.getCount() == 0 ? 0 : counted.getMax() - counted.getMin();
  }

  /** Each micro-batch's time, the longest any shard saw (a shard may hold only some of its chunks). */
  private static List<Long> microBatchNanos(List<StepDone> reports) {
    int count = reports.stream().mapToInt(r -> r.microBatchNanos().size()).max().orElse(0);
    long[] nanos = new long[count];
    for (StepDone report : reports) {
      for (int i = 0; i < report.microBatchNanos().size(); i++) {
        nanos[i] = Math.max(nanos[i], report.microBatchNanos().get(i));
      }
    }
    return java.util.Arrays.stream(nanos).boxed().toList();
  }
}
