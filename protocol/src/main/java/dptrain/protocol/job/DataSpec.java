package dptrain.protocol.job;

/**
 * Which data a job reads: a source as {@code --data} takes it ({@code fashion-mnist},
 * {@code idx:DIR}, {@code csv:TRAIN[,TEST]}, {@code synthetic:NAME}), the number of target
 * columns for CSV, the seed that draws synthetic sets, and the standardisation fitted on the
 * training set ({@code none}, {@code zscore}, {@code minmax}, {@code zca[:EPS]}). Every node
 * resolves it locally, and fits the same standardisation on the same training set.
 */
public record DataSpec(String source, int targets, long seed, String standardize) {

  public DataSpec(String source, int targets, long seed) {
    this(source, targets, seed, "none");
  }
}
