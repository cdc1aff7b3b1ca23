package dptrain.worker.data;

import dptrain.protocol.job.DataSpec;
import dptrain.protocol.tensor.NpyFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's sample weights ({@code --sample-weights FILE.npy}): one finite weight >= 0 per training
 * row (after the validation hold-out, before a bootstrap sample), not all 0, scaled to a mean of 1
 * so that a weighted run's loss and step sizes compare with an unweighted one's. Boosting writes
 * them for each member.
 */
public final class SampleWeights {
  private SampleWeights() {}

  public static TrainTestData apply(TrainTestData data, DataSpec spec) {
    if (spec.sampleWeights().isEmpty()) {
      return data;
    }
    double[] weights = read(Path.of(spec.sampleWeights()), data.train().rows());
    Dataset train = data.train().withRowWeights(weights);
    // A source evaluated on its own rows (a CSV without a test file) keeps its test rows unweighted.
    return new TrainTestData(train, data.test(), data.validation(), data.description() + ", weighted rows",
        data.standardization());
  }

  /** The file's weights, checked and scaled to mean 1; every refusal names the file. */
  static double[] read(Path file, int rows) {
    if (!Files.isRegularFile(file)) {
      throw new DataException("--sample-weights " + file + " does not exist");
    }
    double[] weights;
    try {
      weights = NpyFile.read(file).toDoubles();
    } catch (IOException | IllegalArgumentException e) {
      throw new DataException("--sample-weights " + file + ": " + e.getMessage());
    }
    if (weights.length != rows) {
      throw new DataException("--sample-weights " + file + " holds " + weights.length + " weights; the job trains on " + rows
          + " rows (one weight per training row, after --validation's hold-out)");
    }
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0 && Double.isFinite(weights[i]))) {
        throw new DataException("--sample-weights " + file + ": weight " + i + " is " + weights[i] + " (each must be finite and >= 0)");
      }
      sum += weights[i];
    }
    if (sum == 0) {
      throw new DataException("--sample-weights " + file + ": every weight is 0");
    }
    double scale = rows / sum;
    for (int i = 0; i < weights.length; i++) {
      weights[i] *= scale;
    }
    return weights;
  }
}
