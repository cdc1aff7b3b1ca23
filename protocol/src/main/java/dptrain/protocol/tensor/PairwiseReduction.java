package dptrain.protocol.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The one order in which dptrain adds up k partial sums: pairwise, level by level
 * ((0+1)+(2+3))+((4+5)+(6+7)). Float addition is not associative, so the order fixes the bits;
 * a contiguous block of 2^j partials is a subtree of this order, which is what lets a worker
 * add up its own block and a shard add up the workers' blocks with the same result as one
 * worker adding everything.
 */
public final class PairwiseReduction {
  private PairwiseReduction() {}

  /** A step of the reduction: partial {@code target} += partial {@code source}. */
  public record Pair(int target, int source) {}

  /** The additions, in order; afterwards partial 0 holds the total. */
  public static List<Pair> order(int k) {
    List<Pair> pairs = new ArrayList<>();
    for (int step = 1; step < k; step *= 2) {
      for (int i = 0; i + step < k; i += 2 * step) {
        pairs.add(new Pair(i, i + step));
      }
    }
    return pairs;
  }
}
