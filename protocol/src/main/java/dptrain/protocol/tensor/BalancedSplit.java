package dptrain.protocol.tensor;

/**
 * Cuts [0, total) into {@code parts} contiguous ranges whose sizes differ by at most one, the
 * larger ones first. One rule for micro-batches, shard ranges and evaluation ranges alike.
 */
public final class BalancedSplit {
  private BalancedSplit() {}

  /** The parts + 1 boundaries: part p is [bounds[p], bounds[p + 1]). */
  public static long[] bounds(long total, int parts) {
    if (parts < 1 || total < 0) {
      throw new IllegalArgumentException("cannot split " + total + " into " + parts + " part(s)");
    }
    long[] bounds = new long[parts + 1];
    long base = total / parts;
    long extra = total % parts;
    for (int p = 0; p < parts; p++) {
      bounds[p + 1] = bounds[p] + base + (p < extra ? 1 : 0);
    }
    return bounds;
  }

  /** Cuts {@code values} (rows, say) into {@code parts} contiguous copies by {@link #bounds}. */
  public static int[][] split(int[] values, int parts) {
    long[] bounds = bounds(values.length, parts);
    int[][] out = new int[parts][];
    for (int p = 0; p < parts; p++) {
      out[p] = java.util.Arrays.copyOfRange(values, (int) bounds[p], (int) bounds[p + 1]);
    }
    return out;
  }
}
