package dptrain.worker.data;

import dptrain.protocol.job.Head;
import dptrain.protocol.job.ModelSpec;
import dptrain.worker.model.Loss;

/** Checks, before any training, that a model's widths and loss fit a data set's rows and targets. */
public final class ModelDataFit {
  private ModelDataFit() {}

  /** Throws a {@link DataException} that names the mismatch and what would fit. */
  public static void check(ModelSpec model, Dataset data, String role) {
    if (model.inputWidth() != data.width()) {
      throw new DataException("--model input width " + model.inputWidth() + " does not match the " + role
          + " data's " + data.width() + " features (use --model " + data.width() + "-...)");
    }
    if (model.isMultitask()) {
      checkHeads(model, data, role);
      return;
    }
    int k = model.outputWidth();
    Loss loss = Loss.fromName(model.loss());
    if (!data.isClassification()) {
      if (loss == Loss.CE) {
        throw new DataException("loss ce needs class labels, but the " + role + " data has real-valued targets (use --loss mse)");
      }
      if (k != data.targetWidth()) {
        throw new DataException("--model output width " + k + " does not match the " + role
            + " data's " + data.targetWidth() + " target column(s)");
      }
      return;
    }
    int maxLabel = data.maxLabel();
    if (loss == Loss.CE && k < 2) {
      throw new DataException("loss ce needs at least 2 outputs, --model has " + k + " (use bce for one output)");
    }
    if (k == 1 && loss == Loss.BCE && maxLabel > 1) {
      throw new DataException("class label " + maxLabel + " is out of range for bce with one output (allowed: 0, 1)");
    }
    if (k > 1 && maxLabel >= k) {
      throw new DataException("class label " + maxLabel + " in the " + role + " data is out of range for "
          + k + " outputs (allowed: 0.." + (k - 1) + ")");
    }
  }

  /** Each head reads its own target columns, in order: ce a class index below its width, bce values in [0, 1]. */
  private static void checkHeads(ModelSpec model, Dataset data, String role) {
    int columns = Head.targetColumns(model.heads());
    String heads = "--heads " + Head.text(model.heads());
    if (data.isClassification() || data.targetWidth() != columns) {
      throw new DataException(heads + " reads " + columns + " target column(s); the " + role + " data has "
          + (data.isClassification() ? "one column of class labels" : data.targetWidth() + " target column(s)")
          + " (a CSV with --targets " + columns + ", or synthetic:spirals-radius for 2:ce,1:mse)");
    }
    int column = 0;
    for (Head head : model.heads()) {
      for (int row = 0; row < data.rows(); row++) {
        double value = data.targetValue(row, column, false);
        boolean fits = switch (head.loss()) {
          case "ce" -> value == Math.rint(value) && value >= 0 && value < head.width();
          case "bce" -> value >= 0 && value <= 1;
          default -> true;
        };
        if (!fits) {
          throw new DataException("target column " + (column + 1) + " of the " + role + " data's row " + (row + 1) + " holds "
              + value + ", which the " + head + " head cannot take (" + (head.loss().equals("ce")
              ? "a class index 0.." + (head.width() - 1) : "a value in [0, 1]") + ")");
        }
      }
      column += head.targetColumns();
    }
  }
}
