package dptrain.coordinator.plan;

import dptrain.protocol.tensor.BalancedSplit;
import dptrain.worker.random.Seeds;
import dptrain.worker.random.Shuffle;

/**
 * The order in which one epoch visits the training rows: a permutation seeded by (seed, epoch)
 * (or the identity without shuffling), cut into global batches of {@code batch} rows; the last
 * batch takes what is left, so every row is visited exactly once per epoch.
 */
public final class EpochPlan {
  private final int[] order;
  private final int batch;

  public EpochPlan(long seed, long epoch, int rows, int batch, boolean shuffle) {
    if (rows < 1 || batch < 1) {
      throw new IllegalArgumentException("an epoch needs rows >= 1 and batch >= 1");
    }
    this.batch = Math.min(batch, rows);
    this.order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    if (shuffle) {
      Shuffle.inPlace(order, Seeds.random(seed, "shuffle", epoch));
    }
  }

  private EpochPlan(int[] order, int batch) {
    this.order = order;
    this.batch = Math.min(batch, order.length);
  }

  /** An epoch that visits the rows in the curriculum's order, easy to hard. */
  public static EpochPlan inOrder(Curriculum curriculum, int batch) {
    if (batch < 1 || curriculum.scores().length < 1) {
      throw new IllegalArgumentException("an epoch needs rows >= 1 and batch >= 1");
    }
    return new EpochPlan(curriculum.order(), batch);
  }

  public static int stepsPerEpoch(int rows, int batch) {
    int effective = Math.min(batch, rows);
    return (rows + effective - 1) / effective;
  }

  public int steps() {
    return (order.length + batch - 1) / batch;
  }

  /** The rows of global batch {@code step} (0-based within the epoch). */
  public int[] batch(int step) {
    int from = step * batch;
    int to = Math.min(order.length, from + batch);
    return java.util.Arrays.copyOfRange(order, from, to);
  }

  /** Cuts rows into {@code parts} contiguous micro-batches whose sizes differ by at most one. */
  public static int[][] split(int[] rows, int parts) {
    return BalancedSplit.split(rows, parts);
  }
}
