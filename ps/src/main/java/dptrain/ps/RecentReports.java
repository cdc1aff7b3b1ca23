package dptrain.ps;

import dptrain.protocol.CoordinatorProtocol.StepDone;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last reports a shard sent the Coordinator, by step (or ticket), to repeat when it asks
 * (ReportStep): Artery delivers at most once, and a lost report would hold its step forever.
 */
final class RecentReports {
  private final Map<Long, StepDone> reports;

  RecentReports(int keep) {
    this.reports = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, StepDone> eldest) {
        return size() > keep;
      }
    };
  }

  /** Keeps {@code done} and sends it to the Coordinator. */
  void send(StepDone done, ShardState state) {
    reports.put(done.step(), done);
    state.tellCoordinator(done);
  }

  /** Sends the report of {@code step} again; false when none is kept (the step is not done here, or long gone). */
  boolean repeat(long step, ShardState state) {
    StepDone done = reports.get(step);
    if (done != null) {
      state.tellCoordinator(done);
    }
    return done != null;
  }
}
