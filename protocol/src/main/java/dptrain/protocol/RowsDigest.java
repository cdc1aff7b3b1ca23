package dptrain.protocol;

/**
 * A digest of a multiset of training rows, for checking that each step applied exactly the rows
 * it planned: the wrapping sum of a 64-bit mix of each row index, so digests of disjoint parts
 * add up to the digest of the whole, in any order. A row counted twice or missed changes the sum
 * (two different multisets collide with probability about 2^-64).
 */
public final class RowsDigest {
  private RowsDigest() {}

  public static long of(int[] rows) {
    long sum = 0;
    for (int row : rows) {
      sum += mix(row);
    }
    return sum;
  }

  /** SplitMix64's finaliser over the index (plus one, so that row 0 adds something). */
  static long mix(int row) {
    long z = row + 0x9E3779B97F4A7C15L + 1;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** As printed in metrics.jsonl: 16 hex digits. */
  public static String hex(long digest) {
    return String.format("%016x", digest);
  }
}
