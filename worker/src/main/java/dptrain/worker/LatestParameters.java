package dptrain.worker;

import dptrain.protocol.tensor.TensorChunk;
import dptrain.worker.model.ParameterLayout;
import dptrain.worker.model.ParameterViews;
import java.util.TreeMap;

/**
 * Async modes: one copy of the parameters, each piece overwritten by any newer version of it
 * (pieces move on independently, one micro-batch at a time). Complete once every value has
 * arrived; its version for evaluation is the oldest piece's.
 */
final class LatestParameters {
  private final ParameterLayout layout;
  private final ParameterViews values;
  /** Piece start -> (end, version). */
  private final TreeMap<Long, long[]> pieces = new TreeMap<>();
  private long covered;

  LatestParameters(ParameterLayout layout, ParameterViews values) {
    this.layout = layout;
    this.values = values;
  }

  /** Takes a piece unless this copy already holds a newer version of it. */
  void accept(long version, TensorChunk chunk) {
    if (chunk.offset() < 0 || chunk.end() > layout.size()) {
      throw new IllegalArgumentException("parameter chunk [" + chunk.offset() + ", " + chunk.end()
          + ") lies outside the " + layout.size() + " parameters");
    }
    long[] held = pieces.get(chunk.offset());
    if (held != null && (held[0] != chunk.end() || held[1] > version)) {
      return;
    }
    if (held == null) {
      covered += chunk.length();
    }
    pieces.put(chunk.offset(), new long[] {chunk.end(), version});
    chunk.copyInto(values.flat().data().asNio(), 0);
  }

  boolean complete() {
    return covered >= layout.size();
  }

  /** The version of the piece that starts at {@code offset} (-1 when none has arrived). */
  long versionAt(long offset) {
    var entry = pieces.floorEntry(offset);
    return entry == null ? -1 : entry.getValue()[1];
  }

  /** The oldest piece's version: every value is at least this new. */
  long version() {
    return complete() ? pieces.values().stream().mapToLong(p -> p[1]).min().orElse(-1) : -1;
  }

  ParameterViews current() {
    return values;
  }
}
