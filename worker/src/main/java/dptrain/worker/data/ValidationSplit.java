package dptrain.worker.data;

import dptrain.protocol.job.DataSpec;
import dptrain.worker.random.Seeds;
import dptrain.worker.random.Shuffle;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Holds a seeded fraction of the training rows out as a validation set. For class labels the
 * split is stratified: each class gives round(fraction * its rows) rows, so the validation set
 * has the training set's class proportions. Every node derives the same split from the seed.
 */
public final class ValidationSplit {
  private ValidationSplit() {}

  /** Row indices of the two parts, each ascending. */
  public record Rows(int[] train, int[] validation) {}

  public static Rows of(Dataset data, double fraction, long seed) {
    TreeMap<Integer, List<Integer>> strata = new TreeMap<>();
    for (int row = 0; row < data.rows(); row++) {
      int stratum = data.isClassification() ? data.label(row) : 0;
      strata.computeIfAbsent(stratum, k -> new ArrayList<>()).add(row);
    }
    boolean[] heldOut = new boolean[data.rows()];
    for (var stratum : strata.entrySet()) {
      int[] rows = stratum.getValue().stream().mapToInt(Integer::intValue).toArray();
      Shuffle.inPlace(rows, Seeds.random(seed, "validation", stratum.getKey()));
      long take = Math.round(fraction * rows.length);
      for (int i = 0; i < take; i++) {
        heldOut[rows[i]] = true;
      }
    }
    int[] validation = java.util.stream.IntStream.range(0, heldOut.length).filter(r -> heldOut[r]).toArray();
    int[] train = java.util.stream.IntStream.range(0, heldOut.length).filter(r -> !heldOut[r]).toArray();
    return new Rows(train, validation);
  }

  /**
   * The data with the validation set the spec asks for: held out of the training set, or, with
   * {@code trainOnValidation}, also left in it.
   */
  public static TrainTestData apply(TrainTestData data, DataSpec spec) {
    if (!spec.holdsOutValidation()) {
      return data;
    }
    Rows rows = of(data.train(), spec.validation(), spec.seed());
    if (rows.validation().length == 0 || rows.train().length == 0) {
      throw new DataException("--validation " + spec.validation() + " of " + data.train().rows()
          + " training rows leaves " + rows.validation().length + " validation and " + rows.train().length
          + " training rows; both need at least one");
    }
    Dataset validation = data.train().select(rows.validation());
    Dataset train = spec.trainOnValidation() ? data.train() : data.train().select(rows.train());
    Dataset test = data.test() == data.train() ? train : data.test();
    String what = String.format(java.util.Locale.ROOT, "%s, %d rows held out for validation%s", data.description(),
        rows.validation().length, spec.trainOnValidation() ? " (and trained on)" : "");
    return new TrainTestData(train, test, validation, what);
  }
}
