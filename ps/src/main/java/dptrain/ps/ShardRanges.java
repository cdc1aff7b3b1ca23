package dptrain.ps;

import dptrain.protocol.tensor.BalancedSplit;
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
    long[] bounds = BalancedSplit.bounds(size, shards);
    List<Range> ranges = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      ranges.add(new Range(bounds[s], bounds[s + 1] - bounds[s]));
    }
    return ranges;
  }
}
