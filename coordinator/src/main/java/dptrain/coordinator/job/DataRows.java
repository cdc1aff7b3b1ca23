package dptrain.coordinator.job;

import dptrain.protocol.CoordinatorProtocol.WorkerReady;

/** How many training, test and validation rows the workers see: every worker must see the same. */
public record DataRows(int train, int test, int validation) {

  public static DataRows of(WorkerReady ready) {
    return new DataRows(ready.trainSize(), ready.testSize(), ready.validationSize());
  }

  public boolean matches(WorkerReady ready) {
    return equals(of(ready));
  }

  /**
   * What the job asks of the data that these rows cannot give (early stopping without a
   * validation set, a curriculum of another length), or null when they fit.
   */
  public String misfitFor(JobSettings settings) {
    if (!settings.earlyStopping().method().equals("none") && validation == 0) {
      return "early stopping needs a validation set (--validation F)";
    }
    if (settings.curriculum() != null && settings.curriculum().scores().length != train) {
      return "the curriculum has " + settings.curriculum().scores().length + " scores for " + train + " training rows";
    }
    return null;
  }
}
