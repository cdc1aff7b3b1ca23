package dptrain.deploy.stacking;

import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.Mlp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Stacking's inputs: every member's outputs on a set of rows, side by side (member 1's k
 * outputs, then member 2's, ...), followed by the rows' targets (the class index, or the k real
 * values), written as a CSV the combiner trains on like any other data.
 */
final class MemberPredictions {
  private MemberPredictions() {}

  /** Writes {@code file}: one line per row of {@code data}, K * k member outputs then the targets. */
  static void write(Path file, ModelSpec model, Precision precision, List<FlatArray> members, Dataset data) throws IOException {
    Mlp mlp = new Mlp(model, precision);
    int k = mlp.outputWidth();
    int n = data.rows();
    double[][] outputs = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      outputs[m] = new double[n * k];
      var params = mlp.parameters(members.get(m));
      for (int from = 0; from < n; from += 1000) {
        int[] rows = IntStream.range(from, Math.min(n, from + 1000)).toArray();
        System.arraycopy(mlp.predict(params, data, rows), 0, outputs[m], from * k, rows.length * k);
      }
    }
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      StringBuilder header = new StringBuilder();
      for (int m = 1; m <= members.size(); m++) {
        for (int j = 0; j < k; j++) {
          header.append("member").append(m).append("_out").append(j).append(',');
        }
      }
      int targets = data.isClassification() ? 1 : data.targetWidth();
      for (int t = 0; t < targets; t++) {
        header.append(t == 0 ? "" : ",").append("target").append(t);
      }
      out.println(header);
      for (int i = 0; i < n; i++) {
        StringBuilder line = new StringBuilder();
        for (double[] member : outputs) {
          for (int j = 0; j < k; j++) {
            line.append(member[i * k + j]).append(',');
          }
        }
        if (data.isClassification()) {
          line.append(data.label(i));
        } else {
          for (int t = 0; t < targets; t++) {
            line.append(t == 0 ? "" : ",").append(data.targetValue(i, t, true));
          }
        }
        out.println(line);
      }
    }
  }
}
