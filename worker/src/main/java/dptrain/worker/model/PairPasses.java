package dptrain.worker.model;

import dptrain.worker.data.Dataset;
import java.util.Arrays;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A model pair's passes (parameter tying's two networks in one job): the rows are split by the
 * network they train, keeping their order, and each part goes through its own network's views of
 * the one flat vector. A network with no rows in a batch gets a zero gradient.
 */
final class PairPasses {
  private PairPasses() {}

  /** {@code rows} split by network: [0] the first's, [1] the second's. */
  static int[][] split(Dataset data, int[] rows) {
    int[] first = Arrays.stream(rows).filter(r -> data.modelOf(r) == 0).toArray();
    int[] second = Arrays.stream(rows).filter(r -> data.modelOf(r) == 1).toArray();
    return new int[][] {first, second};
  }

  static double gradient(Mlp mlp, ParameterViews params, Dataset data, int[] rows, ParameterViews gradient,
      DropoutMasks masks) {
    int[][] parts = split(data, rows);
    double loss = 0;
    for (int c = 0; c < 2; c++) {
      ParameterViews own = gradient.copy(c);
      if (parts[c].length == 0) {
        long from = mlp.layout().copyOffset(c);
        gradient.flat().get(NDArrayIndex.interval(from, from + mlp.layout().copyOffset(1))).assign(0);
        continue;
      }
      loss += mlp.networkGradient(params.copy(c), data, parts[c], own, masks);
    }
    return loss;
  }

  static Mlp.Evaluation evaluate(Mlp mlp, ParameterViews params, Dataset data, int[] rows) {
    int[][] parts = split(data, rows);
    double loss = 0;
    long correct = 0;
    for (int c = 0; c < 2; c++) {
      if (parts[c].length > 0) {
        Mlp.Evaluation own = mlp.networkEvaluate(params.copy(c), data, parts[c]);
        loss += own.lossSum();
        correct += own.correct();
      }
    }
    return new Mlp.Evaluation(loss, correct, rows.length);
  }

  /** Each row's outputs from its own network, in the order of {@code rows}. */
  static double[] predict(Mlp mlp, ParameterViews params, Dataset data, int[] rows) {
    int k = mlp.outputWidth();
    double[] outputs = new double[rows.length * k];
    for (int c = 0; c < 2; c++) {
      int network = c;
      int[] mine = java.util.stream.IntStream.range(0, rows.length).filter(i -> data.modelOf(rows[i]) == network).toArray();
      if (mine.length == 0) {
        continue;
      }
      double[] own = mlp.networkPredict(params.copy(c), data, Arrays.stream(mine).map(i -> rows[i]).toArray());
      for (int j = 0; j < mine.length; j++) {
        System.arraycopy(own, j * k, outputs, mine[j] * k, k);
      }
    }
    return outputs;
  }
}
