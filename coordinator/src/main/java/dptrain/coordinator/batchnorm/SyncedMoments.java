package dptrain.coordinator.batchnorm;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronised batch norm's meeting point: collects every micro-batch's sums for one (step,
 * layer, phase), adds them in micro-batch order (so the totals do not depend on arrival order)
 * and answers every micro-batch with the totals.
 */
final class SyncedMoments {
  private record Key(long step, int layer, dptrain.protocol.job.BatchNormPhase phase) {}

  private static final class Gathering {
    final double[][] parts;
    final List<ActorRef<WorkerProtocol.MomentsTotal>> waiting = new ArrayList<>();
    int arrived;

    Gathering(int microBatches) {
      parts = new double[microBatches][];
    }
  }

  private final Map<Key, Gathering> open = new HashMap<>();

  /** Takes one micro-batch's sums; answers everyone once the step's last micro-batch is in. */
  void add(BatchMoments m) {
    Key key = new Key(m.step(), m.layer(), m.phase());
    Gathering g = open.computeIfAbsent(key, k -> new Gathering(m.microBatches()));
    if (m.microBatch() < 0 || m.microBatch() >= g.parts.length || g.parts[m.microBatch()] != null) {
      return;
    }
    g.parts[m.microBatch()] = m.sums();
    g.waiting.add(m.replyTo());
    if (++g.arrived < g.parts.length) {
      return;
    }
    open.remove(key);
    double[] total = new double[m.sums().length];
    for (double[] part : g.parts) {
      for (int i = 0; i < total.length && i < part.length; i++) {
        total[i] += part[i];
      }
    }
    var answer = new WorkerProtocol.MomentsTotal(m.step(), m.layer(), m.phase(), total);
    g.waiting.forEach(r -> r.tell(answer));
  }
}
