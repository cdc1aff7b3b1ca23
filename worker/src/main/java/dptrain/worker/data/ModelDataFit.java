package dptrain.worker.data;

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
}
