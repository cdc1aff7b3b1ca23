package dptrain.coordinator.step;

import dptrain.protocol.ShardProtocol;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;

/**
 * Backup workers (Chen et al. 2016): the micro-batches pushed for each open step, in the order
 * reported; once all but b are in, the step closes with those, and the rest are dropped.
 */
final class BackupClosing {
  private final int backupWorkers;
  private final Map<Long, LinkedHashSet<Integer>> pushed = new HashMap<>();
  private final Map<Long, Integer> dropped = new HashMap<>();

  BackupClosing(int backupWorkers) {
    this.backupWorkers = backupWorkers;
  }

  /**
   * Micro-batch {@code microBatch} of step {@code step} (of {@code microBatches}) is pushed: the
   * closing to send every shard when this completes the step's quorum; empty otherwise, and
   * for a micro-batch whose step already closed without it.
   */
  Optional<ShardProtocol.CloseStep> pushed(long step, int microBatch, int microBatches) {
    if (microBatches == 0 || dropped.containsKey(step)) {
      return Optional.empty();
    }
    var in = pushed.computeIfAbsent(step, s -> new LinkedHashSet<>());
    in.add(microBatch);
    if (in.size() < Math.max(1, microBatches - backupWorkers)) {
      return Optional.empty();
    }
    pushed.remove(step);
    int[] included = in.stream().mapToInt(Integer::intValue).toArray();
    dropped.put(step, microBatches - included.length);
    return Optional.of(new ShardProtocol.CloseStep(step, microBatches, included));
  }

  /** How many micro-batches step {@code step} closed without (forgotten after); null when it did not close here. */
  Integer droppedFrom(long step) {
    return dropped.remove(step);
  }

  void clear() {
    pushed.clear();
    dropped.clear();
  }
}
