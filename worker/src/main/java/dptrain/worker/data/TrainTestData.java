package dptrain.worker.data;

/**
 * A training set, the set it is evaluated on, an optional validation set held out of the
 * training data (null when there is none), words that say what they are, and the
 * standardisation fitted on the training set (null when there is none).
 */
public record TrainTestData(Dataset train, Dataset test, Dataset validation, String description,
    FittedStandardization standardization) {

  public TrainTestData(Dataset train, Dataset test, Dataset validation, String description) {
    this(train, test, validation, description, null);
  }

  /** Without a validation set. */
  public TrainTestData(Dataset train, Dataset test, String description) {
    this(train, test, null, description);
  }

  public boolean hasValidation() {
    return validation != null;
  }
}
