package dptrain.coordinator.step;

import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.StepTimes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shards' StepDone reports, per step. Shards report independently, so one shard's report
 * for step t + 1 may arrive before another's for step t.
 */
final class StepTally {
  private final Map<Long, List<StepDone>> byStep = new HashMap<>();

  void add(StepDone done) {
    byStep.computeIfAbsent(done.step(), step -> new ArrayList<>()).add(done);
  }

  void clear() {
    byStep.clear();
  }

  int count(long step) {
    return byStep.getOrDefault(step, List.of()).size();
  }

  /**
   * Removes the step's reports and returns one (every shard reports the same totals), marked
   * skipped when any shard skipped.
   */
  StepDone take(long step) {
    List<StepDone> reports = byStep.remove(step);
    StepDone first = reports.get(0);
    boolean skipped = reports.stream().anyMatch(StepDone::skipped);
    long staleness = reports.stream().mapToLong(StepDone::staleness).max().orElse(0);
    long bytes = reports.stream().mapToLong(StepDone::bytes).sum();
    // Shards work side by side: the step waited for the slowest of each part.
    StepTimes times = reports.stream().map(StepDone::times).reduce(StepTimes.NONE, StepTimes::max);
    return new StepDone(first.shard(), first.step(), first.sampleCount(), first.lossSum(), skipped, first.generation(), staleness,
        bytes, times, microBatchNanos(reports), first.rowsDigest());
  }

  /**
   * The step's rows digest as metrics.jsonl records it: the one every shard reported, or, when
   * they differ (a shard applied other rows than another: a bug the exactly-once check must see),
   * each shard's, comma-separated, after "disagree:".
   */
  String rows(long step) {
    var digests = byStep.getOrDefault(step, List.of()).stream().map(r -> dptrain.protocol.RowsDigest.hex(r.rowsDigest())).distinct().toList();
    return digests.size() == 1 ? digests.get(0) : "disagree:" + String.join(",", digests);
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
