package dptrain.worker.data;

import dptrain.protocol.job.DataSpec;
import dptrain.worker.random.Seeds;
import java.util.SplittableRandom;

/**
 * Bagging's bootstrap sample (Breiman 1996): member m trains on n rows drawn with replacement
 * from the n training rows, seeded by (seed, m), so every node draws the same sample and the
 * members differ from each other.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** Row indices of member {@code member}'s sample. */
  public static int[] rows(int n, long seed, int member) {
    SplittableRandom random = Seeds.random(seed, "bootstrap", member);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = random.nextInt(n);
    }
    return rows;
  }

  public static TrainTestData apply(TrainTestData data, DataSpec spec) {
    if (spec.bootstrap() <= 0) {
      return data;
    }
    Dataset sample = data.train().select(rows(data.train().rows(), spec.seed(), spec.bootstrap()));
    Dataset test = data.test() == data.train() ? sample : data.test();
    return new TrainTestData(sample, test, data.validation(),
        data.description() + ", bootstrap sample " + spec.bootstrap(), data.standardization());
  }
}
