package dptrain.worker;

import dptrain.protocol.WorkerProtocol.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Requests that wait for the parameter version they name, in arrival order per version. */
final class PendingWork {
  private final TreeMap<Long, List<Command>> byVersion = new TreeMap<>();

  void add(long version, Command work) {
    byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(work);
  }

  /** Removes and returns the work for {@code version}; work for older versions is dropped. */
  List<Command> takeReady(long version) {
    byVersion.headMap(version, false).clear();
    List<Command> ready = byVersion.remove(version);
    return ready == null ? List.of() : ready;
  }
}
