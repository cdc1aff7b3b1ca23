package dptrain.worker;

import dptrain.protocol.tensor.TensorChunk;
import dptrain.worker.model.ParameterLayout;
import dptrain.worker.model.ParameterViews;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The worker's copies of the parameters by version. Chunks of a newer version fill a buffer of
 * their own while the current version stays intact for the work still queued on it; when every
 * value of a version has arrived it becomes current and the older buffer is reused. A chunk
 * that arrives twice, or overlaps one already taken, is ignored; chunks of versions older than
 * the current one are ignored.
 */
final class ParameterVersions {
  private final ParameterLayout layout;
  private final Supplier<ParameterViews> allocator;
  private final Deque<ParameterViews> free = new ArrayDeque<>();
  private final TreeMap<Long, Filling> filling = new TreeMap<>();
  private ParameterViews current;
  private long currentVersion = -1;

  private static final class Filling {
    final ParameterViews buffer;
    /** The ranges received so far, start to end; a version is complete when they cover everything. */
    final TreeMap<Long, Long> ranges = new TreeMap<>();
    long received;

    Filling(ParameterViews buffer) {
      this.buffer = buffer;
    }
  }

  ParameterVersions(ParameterLayout layout, Supplier<ParameterViews> allocator) {
    this.layout = layout;
    this.allocator = allocator;
  }

  /** Takes one chunk; returns true when it completed a version newer than the current one. */
  boolean accept(long version, TensorChunk chunk) {
    if (version <= currentVersion) {
      return false;
    }
    if (chunk.offset() < 0 || chunk.end() > layout.size()) {
      throw new IllegalArgumentException("parameter chunk [" + chunk.offset() + ", " + chunk.end()
          + ") lies outside the " + layout.size() + " parameters");
    }
    Filling target = filling.computeIfAbsent(version, v -> new Filling(take()));
    if (overlaps(target.ranges, chunk.offset(), chunk.end())) {
      // A repeat, or a chunk cut at other boundaries than one already taken: counting it would
      // count values twice and could complete the version with holes.
      return false;
    }
    target.ranges.put(chunk.offset(), chunk.end());
    chunk.copyInto(target.buffer.flat().data().asNio(), 0);
    target.received += chunk.length();
    if (target.received < layout.size()) {
      return false;
    }
    promote(version);
    return true;
  }

  private static boolean overlaps(TreeMap<Long, Long> ranges, long start, long end) {
    var before = ranges.floorEntry(start);
    if (before != null && before.getValue() > start) {
      return true;
    }
    var after = ranges.ceilingEntry(start);
    return after != null && after.getKey() < end;
  }

  long currentVersion() {
    return currentVersion;
  }

  ParameterViews current() {
    return current;
  }

  private void promote(long version) {
    if (current != null) {
      free.push(current);
    }
    current = filling.remove(version).buffer;
    currentVersion = version;
    // Versions older than the new current one can never be used: recycle their buffers.
    while (!filling.isEmpty() && filling.firstKey() < version) {
      free.push(filling.pollFirstEntry().getValue().buffer);
    }
  }

  private ParameterViews take() {
    return free.isEmpty() ? allocator.get() : free.pop();
  }
}
