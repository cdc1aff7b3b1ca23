package dptrain.coordinator.batchnorm;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronised batch norm's meeting point: collects every micro-batch's sums for one (step,
 * layer, phase), adds them in micro-batch order (so the totals do not depend on arrival order)
 * and answers every micro-batch with the totals, each copy of a re-sent one included.
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
  /**
   * The latest meetings' totals: a micro-batch re-sent to a second worker reports after its
   * first copy, and is answered from here (its pass would otherwise wait for ever).
   */
  private final Map<Key, WorkerProtocol.MomentsTotal> answered = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, WorkerProtocol.MomentsTotal> eldest) {
      return size() > ANSWERS_KEPT;
    }
  };

  /** Enough for the last few steps of a deep network's every layer and phase. */
  private static final int ANSWERS_KEPT = 256;

  /** Takes one micro-batch's sums; answers everyone once the step's last micro-batch is in. */
  void add(BatchMoments m) {
    Key key = new Key(m.step(), m.layer(), m.phase());
    var known = answered.get(key);
    if (known != null) {
      m.replyTo().tell(known);
      return;
    }
    Gathering g = open.computeIfAbsent(key, k -> new Gathering(m.microBatches()));
    if (m.microBatch() < 0 || m.microBatch() >= g.parts.length) {
      return;
    }
    if (g.parts[m.microBatch()] != null) {
      // A second copy of a micro-batch still gathering, from another worker: it waits with the rest.
      if (!g.waiting.contains(m.replyTo())) {
        g.waiting.add(m.replyTo());
      }
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
    answered.put(key, answer);
    g.waiting.forEach(r -> r.tell(answer));
  }
}
