package dptrain.deploy.train;

import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far apart a model pair's two networks ended: per dense layer the Frobenius distance
 * ||W_A - W_B|| of its weights, and over all of them, the quantity {@code --tie} penalises.
 */
public final class PairDistance {
  private PairDistance() {}

  /** Per dense layer with a weight of its own, ||W_A - W_B||; the last entry is over every such layer. */
  public static double[] of(ModelSpec model, FlatArray parameters) {
    ParameterLayout layout = new ParameterLayout(model);
    double[] values = parameters.toDoubles();
    List<Double> each = new ArrayList<>();
    double all = 0;
    for (var layer : layout.layers()) {
      if (layer.tied()) {
        continue;
      }
      double squares = 0;
      for (long i = layer.weightOffset(); i < layer.weightOffset() + layer.weightSize(); i++) {
        double d = values[(int) i] - values[(int) (layout.copyOffset(1) + i)];
        squares += d * d;
      }
      each.add(Math.sqrt(squares));
      all += squares;
    }
    each.add(Math.sqrt(all));
    return each.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Each network's mean loss and accuracy (NaN for regression) on its own rows of {@code test}. */
  public static double[][] scores(ModelSpec model, dptrain.protocol.tensor.Precision precision, FlatArray parameters,
      dptrain.worker.data.Dataset test) {
    var mlp = new dptrain.worker.model.Mlp(model, precision);
    var params = mlp.parameters(parameters);
    double[][] each = new double[2][];
    for (int c = 0; c < 2; c++) {
      int network = c;
      int[] rows = java.util.stream.IntStream.range(0, test.rows()).filter(r -> test.modelOf(r) == network).toArray();
      var e = mlp.evaluate(params, test, rows);
      each[c] = new double[] {e.lossSum() / rows.length, mlp.reportsAccuracy(test) ? (double) e.correct() / rows.length : Double.NaN};
    }
    return each;
  }

  /** The lines {@code train} prints for a model pair: each network's test scores, and their distance. */
  public static String line(ModelSpec model, dptrain.protocol.tensor.Precision precision, FlatArray parameters,
      dptrain.worker.data.Dataset test) {
    double[][] s = scores(model, precision, parameters, test);
    return String.format(Locale.ROOT, "network A: test_loss=%.6f test_accuracy=%.4f%nnetwork B: test_loss=%.6f test_accuracy=%.4f%n",
        s[0][0], s[0][1], s[1][0], s[1][1]) + line(model, parameters);
  }

  /** The distance line. */
  public static String line(ModelSpec model, FlatArray parameters) {
    double[] d = of(model, parameters);
    StringBuilder layers = new StringBuilder();
    for (int l = 0; l + 1 < d.length; l++) {
      layers.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", d[l]));
    }
    return String.format(Locale.ROOT, "model pair: ||W_A - W_B|| per layer %s; over all weights %.6f", layers, d[d.length - 1]);
  }
}
