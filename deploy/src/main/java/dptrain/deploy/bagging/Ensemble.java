package dptrain.deploy.bagging;

import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.PredictedClass;
import dptrain.worker.model.ParameterViews;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Bagging's combination of K trained members on a data set: {@code average} averages their
 * outputs (class probabilities, or regression outputs) and predicts from the mean; {@code vote}
 * takes each member's predicted class and predicts the most frequent (a tie goes to the class
 * with the larger mean probability).
 */
public final class Ensemble {
  private Ensemble() {}

  public static final List<String> COMBINATIONS = List.of("average", "vote");

  /** The ensemble's mean loss (cross-entropy of the mean probabilities, or MSE; NaN for vote) and accuracy (NaN for regression). */
  public record Score(double loss, double accuracy) {}

  public static Score score(ModelSpec model, Precision precision, List<FlatArray> members, Dataset data, String combine) {
    Mlp mlp = new Mlp(model, precision);
    int k = mlp.outputWidth();
    int n = data.rows();
    double[] mean = new double[n * k];
    int[][] votes = new int[n][Math.max(2, k)];
    for (FlatArray member : members) {
      ParameterViews params = mlp.parameters(member);
      for (int from = 0; from < n; from += 1000) {
        int[] rows = IntStream.range(from, Math.min(n, from + 1000)).toArray();
        double[] out = mlp.predict(params, data, rows);
        for (int i = 0; i < rows.length; i++) {
          for (int j = 0; j < k; j++) {
            mean[(from + i) * k + j] += out[i * k + j] / members.size();
          }
          votes[from + i][PredictedClass.of(out, i, k)]++;
        }
      }
    }
    if (!data.isClassification()) {
      double squares = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < k; j++) {
          double d = mean[i * k + j] - data.target(i, j);
          squares += d * d;
        }
      }
      return new Score(squares / (n * (double) k), Double.NaN);
    }
    long correct = 0;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      int label = data.label(i);
      int chosen = combine.equals("vote") ? byVote(votes[i], mean, i, k) : PredictedClass.of(mean, i, k);
      if (chosen == label) {
        correct++;
      }
      double p = k == 1 ? (label == 1 ? mean[i] : 1 - mean[i]) : mean[i * k + label];
      loss -= Math.log(Math.max(p, 1e-300));
    }
    return new Score(combine.equals("vote") ? Double.NaN : loss / n, (double) correct / n);
  }

  private static int byVote(int[] votes, double[] mean, int row, int k) {
    int best = 0;
    for (int j = 1; j < votes.length; j++) {
      boolean tieBreak = votes[j] == votes[best] && k > 1 && mean[row * k + j] > mean[row * k + best];
      if (votes[j] > votes[best] || tieBreak) {
        best = j;
      }
    }
    return best;
  }
}
