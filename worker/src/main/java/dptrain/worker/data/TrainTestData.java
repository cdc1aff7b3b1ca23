package dptrain.worker.data;

/** A training set, the set it is evaluated on, and words that say what they are. */
public record TrainTestData(Dataset train, Dataset test, String description) {}
