package dptrain.worker.model;

import dptrain.protocol.job.Head;
import dptrain.worker.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * The output side of a multitask network: its output layer cut into heads, each a slice of the
 * logits with its own loss, output activation and weight, and its own target columns in the
 * data. The model's loss is the weighted sum of the heads' losses, so the trunk's gradient is the
 * sum of every head's; a head's own weights get only its own. The accuracy is the first head's
 * that predicts a class (ce, or bce with one output).
 */
final class OutputHeads {
  /** A head's logits start at {@code offset}; its targets at data column {@code column}. */
  private record Part(Head head, int offset, int column, Loss loss, Activation output) {
    int width() {
      return head.width();
    }
  }

  private final List<Part> parts = new ArrayList<>();
  private final int width;
  private final Part classHead;
  /** Per-head scratch for one batch: its logits, targets and logit gradient, compact. */
  private double[] z = new double[0];
  private double[] y = new double[0];
  private double[] dz = new double[0];

  OutputHeads(List<Head> heads) {
    int offset = 0;
    int column = 0;
    Part firstClass = null;
    for (Head head : heads) {
      Part part = new Part(head, offset, column, Loss.fromName(head.loss()), Activation.fromName(head.outputActivation()));
      parts.add(part);
      if (firstClass == null && head.predictsClass()) {
        firstClass = part;
      }
      offset += head.width();
      column += head.targetColumns();
    }
    this.width = offset;
    this.classHead = firstClass;
  }

  boolean hasClassHead() {
    return classHead != null;
  }

  /**
   * The weighted sum over n rows of the heads' losses of logits {@code logits} ([n, width])
   * against {@code targets}; when {@code gradient} is not null, writes dL/dlogits. ce heads'
   * targets are smoothed by {@code smoothing}.
   */
  double loss(double[] logits, double[] targets, int n, double[] gradient, double smoothing) {
    double total = 0;
    for (Part part : parts) {
      int k = part.width();
      ensure(n * k);
      gather(logits, n, part, z);
      gather(targets, n, part, y);
      double own = part.loss().evaluate(z, y, n, k, part.output(), gradient == null ? null : dz,
          part.loss() == Loss.CE ? smoothing : 0);
      total += part.head().weight() * own;
      if (gradient != null) {
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < k; j++) {
            gradient[i * width + part.offset() + j] = part.head().weight() * dz[i * k + j];
          }
        }
      }
    }
    return total;
  }

  /** Each head's unweighted loss summed over n rows, in order. */
  double[] headLosses(double[] logits, double[] targets, int n) {
    double[] each = new double[parts.size()];
    for (int h = 0; h < parts.size(); h++) {
      Part part = parts.get(h);
      ensure(n * part.width());
      gather(logits, n, part, z);
      gather(targets, n, part, y);
      each[h] = part.loss().evaluate(z, y, n, part.width(), part.output(), null, 0);
    }
    return each;
  }

  /** The targets of {@code rows} as the heads see them ([n, width]): ce's class index one-hot, the others as they are. */
  void copyTargets(Dataset data, int[] rows, double[] into, boolean exact) {
    java.util.Arrays.fill(into, 0, rows.length * width, 0);
    for (int i = 0; i < rows.length; i++) {
      for (Part part : parts) {
        int at = i * width + part.offset();
        if (part.loss() == Loss.CE) {
          into[at + classOf(data, rows[i], part)] = 1;
          continue;
        }
        for (int j = 0; j < part.width(); j++) {
          into[at + j] = data.targetValue(rows[i], part.column() + j, exact);
        }
      }
    }
  }

  /** The class head's label of each row, or -1 when there is no class head. */
  void copyLabels(Dataset data, int[] rows, int[] into) {
    for (int i = 0; i < rows.length; i++) {
      into[i] = classHead == null ? -1 : classOf(data, rows[i], classHead);
    }
  }

  /** How many of n rows the class head predicts right. */
  long countCorrect(double[] logits, int[] labels, int n) {
    long correct = 0;
    for (int i = 0; i < n && classHead != null; i++) {
      int from = i * width + classHead.offset();
      int predicted = 0;
      if (classHead.loss() == Loss.BCE) {
        predicted = logits[from] >= 0 ? 1 : 0;
      } else {
        for (int j = 1; j < classHead.width(); j++) {
          if (logits[from + j] > logits[from + predicted]) {
            predicted = j;
          }
        }
      }
      correct += predicted == labels[i] ? 1 : 0;
    }
    return correct;
  }

  /** Row {@code row}'s outputs, each head after its own output activation, into {@code out} (width long). */
  void outputs(double[] logits, int row, double[] out) {
    for (Part part : parts) {
      ensure(part.width());
      part.output().applyToRow(logits, row * width + part.offset(), part.width(), z);
      System.arraycopy(z, 0, out, part.offset(), part.width());
    }
  }

  private static int classOf(Dataset data, int row, Part part) {
    double value = data.targetValue(row, part.column(), false);
    if (part.loss() == Loss.BCE) {
      // A one-output bce head's class: its target rounded (soft targets are allowed).
      return value >= 0.5 ? 1 : 0;
    }
    int label = (int) value;
    if (label != value || label < 0 || label >= part.width()) {
      throw new IllegalArgumentException("target column " + (part.column() + 1) + " of row " + row + " holds " + value
          + ", not a class of the " + part.head() + " head");
    }
    return label;
  }

  private void gather(double[] rowMajor, int n, Part part, double[] into) {
    int k = part.width();
    for (int i = 0; i < n; i++) {
      System.arraycopy(rowMajor, i * width + part.offset(), into, i * k, k);
    }
  }

  private void ensure(int size) {
    if (z.length < size) {
      z = new double[size];
      y = new double[size];
      dz = new double[size];
    }
  }
}
