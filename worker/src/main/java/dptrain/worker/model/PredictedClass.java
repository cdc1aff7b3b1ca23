package dptrain.worker.model;

/** Which class a model's outputs name, as {@link Mlp#evaluate} counts it correct. */
public final class PredictedClass {
  private PredictedClass() {}

  /** The class row {@code row} of {@link Mlp#predict}'s outputs names: the largest of k, or for one output p >= 0.5. */
  public static int of(double[] outputs, int row, int k) {
    if (k == 1) {
      return outputs[row] >= 0.5 ? 1 : 0;
    }
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (outputs[row * k + j] > outputs[row * k + best]) {
        best = j;
      }
    }
    return best;
  }
}
