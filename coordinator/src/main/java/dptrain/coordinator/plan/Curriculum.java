package dptrain.coordinator.plan;

/**
 * Curriculum learning's order (Bengio et al. 2009): for the first {@code epochs} epochs the
 * training rows are visited from easy to hard, by a score the user gives per row (lower is
 * easier; ties keep row order); later epochs go back to the usual (shuffled) order.
 */
public record Curriculum(double[] scores, int epochs) {

  public Curriculum {
    scores = scores.clone();
    if (epochs < 1) {
      throw new IllegalArgumentException("a curriculum lasts at least one epoch, got " + epochs);
    }
  }

  public boolean appliesTo(long epoch) {
    return epoch < epochs;
  }

  /** The rows from the lowest score to the highest. */
  public int[] order() {
    return java.util.stream.IntStream.range(0, scores.length).boxed()
        .sorted(java.util.Comparator.comparingDouble(i -> scores[i]))
        .mapToInt(Integer::intValue).toArray();
  }
}
