package dptrain.protocol.job;

/**
 * Which data a job reads: a source as {@code --data} takes it ({@code fashion-mnist},
 * {@code idx:DIR}, {@code csv:TRAIN[,TEST]}, {@code synthetic:NAME}), the number of target
 * columns for CSV, the seed that draws synthetic sets, and the standardisation fitted on the
 * training set ({@code none}, {@code zscore}, {@code minmax}, {@code zca[:EPS]}), and the
 * fraction of the training set held out for validation (0 = none; stratified by class, drawn
 * from the seed). With {@code trainOnValidation} the held-out rows are evaluated as the
 * validation set and also trained on (early stopping's algorithm 7.3). Every node resolves it
 * locally, and derives the same split and fits the same standardisation. {@code bootstrap} m > 0
 * makes the training set bagging member m's bootstrap sample: as many rows as it has, drawn with
 * replacement, seeded by (seed, m), after the standardisation is fitted (so every member shares it).
 * {@code augment} names the random changes made to training inputs ({@code none}, or e.g.
 * {@code flip,translate:2,noise:0.1}; see the worker's Augmentation). {@code csvHeader}: whether a
 * CSV source's first row is a header: {@code auto} (when a cell of it is not a number), {@code yes}, {@code no}.
 * {@code sampleWeights}: a {@code .npy} file of one weight per training row (after the validation
 * hold-out) that scales each row's training loss, as boosting's members train; "" = all 1.
 */
public record DataSpec(String source, int targets, long seed, String standardize, double validation,
    boolean trainOnValidation, int bootstrap, String augment, String csvHeader, String sampleWeights) {
  public static final java.util.List<String> CSV_HEADERS = java.util.List.of("auto", "yes", "no");

  public DataSpec {
    if (!(validation >= 0 && validation < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in [0, 1), got " + validation);
    }
    if (!CSV_HEADERS.contains(csvHeader)) {
      throw new IllegalArgumentException("--csv-header must be auto, yes or no, got '" + csvHeader + "'");
    }
  }

  /** Every training row weighted 1. */
  public DataSpec(String source, int targets, long seed, String standardize, double validation,
      boolean trainOnValidation, int bootstrap, String augment, String csvHeader) {
    this(source, targets, seed, standardize, validation, trainOnValidation, bootstrap, augment, csvHeader, "");
  }

  public DataSpec(String source, int targets, long seed, String standardize, double validation,
      boolean trainOnValidation, int bootstrap, String augment) {
    this(source, targets, seed, standardize, validation, trainOnValidation, bootstrap, augment, "auto");
  }

  public DataSpec(String source, int targets, long seed) {
    this(source, targets, seed, "none");
  }

  public DataSpec(String source, int targets, long seed, String standardize) {
    this(source, targets, seed, standardize, 0, false, 0, "none");
  }

  public DataSpec(String source, int targets, long seed, String standardize, double validation, boolean trainOnValidation) {
    this(source, targets, seed, standardize, validation, trainOnValidation, 0, "none");
  }

  public boolean holdsOutValidation() {
    return validation > 0;
  }
}
