package dptrain.coordinator.ps;

import java.util.ArrayList;
import java.util.List;

/** Splits a vector of {@code size} values into {@code shards} balanced contiguous ranges. */
public final class ShardRanges {
  private ShardRanges() {}

  /** A range [offset, offset + length). */
  public record Range(long offset, long length) {}

  public static List<Range> split(long size, int shards) {
    if (shards < 1 || shards > size) {
      throw new IllegalArgumentException("--ps-shards must lie in 1.." + size + " for " + size + " parameters, got " + shards);
    }
    List<Range> ranges = new ArrayList<>();
    long base = size / shards;
    long extra = size % shards;
    long offset = 0;
    for (int s = 0; s < shards; s++) {
      long length = base + (s < extra ? 1 : 0);
      ranges.add(new Range(offset, length));
      offset += length;
    }
    return ranges;
  }
}
