package dptrain.coordinator.job;

import dptrain.coordinator.plan.Curriculum;
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
   * validation set, a curriculum of another length), or null when they fit. The one check of
   * these rules: the CLI runs it on the data it loaded, the Coordinator on what the workers loaded.
   */
  public String misfitFor(JobSettings settings) {
    return misfitFor(settings.earlyStopping(), settings.curriculum());
  }

  /** As above, for a job's early stopping and curriculum (null: none). */
  public String misfitFor(EarlyStoppingSpec earlyStopping, Curriculum curriculum) {
    if (!earlyStopping.method().equals("none") && validation == 0) {
      return "--early-stopping " + earlyStopping.method() + " watches the validation loss: give --validation F, e.g. 0.1";
    }
    if (curriculum != null && curriculum.scores().length != train) {
      return "--curriculum holds " + curriculum.scores().length + " scores; the job trains on " + train
          + " rows (one score per training row, after --validation's hold-out)";
    }
    return null;
  }
}
