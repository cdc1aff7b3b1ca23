package dptrain.protocol.job;

/**
 * One dense layer of a {@link ModelSpec}, beyond its width: what happens to its input in
 * training, to its weights, and to its pre-activation.
 *
 * @param activation this layer's own activation, or "" for the model's default (on the output
 *     layer the output activation decides, and this is "")
 * @param keep inverted dropout on the input: keep probability in (0, 1]; 1 = none
 * @param gaussian Gaussian dropout on the input: multiplicative N(1, s^2) noise; 0 = none
 * @param noise additive Gaussian noise N(0, s^2) on the input; 0 = none
 * @param dropConnect DropConnect: keep probability of each weight in (0, 1]; 1 = none
 * @param batchNorm batch normalization of the pre-activation, with this running-statistics
 *     momentum (PyTorch's convention: running = (1 - m) running + m batch); 0 = none
 * @param tiedTo parameter sharing: the earlier dense layer (0-based) whose weight this layer
 *     uses transposed instead of a weight of its own (a tied autoencoder's decoder); -1 = none.
 *     The bias stays its own.
 */
public record LayerSpec(String activation, double keep, double gaussian, double noise, double dropConnect,
    double batchNorm, int tiedTo) {

  /** A dense layer with the default activation and nothing else. */
  public static final LayerSpec PLAIN = new LayerSpec("", 1, 0, 0, 1, 0);

  /** A layer with a weight of its own. */
  public LayerSpec(String activation, double keep, double gaussian, double noise, double dropConnect, double batchNorm) {
    this(activation, keep, gaussian, noise, dropConnect, batchNorm, -1);
  }

  /** The default momentum of batch-norm running statistics (PyTorch's). */
  public static final double BATCH_NORM_MOMENTUM = 0.1;

  /** Batch norm's epsilon in 1 / sqrt(var + eps) (PyTorch's). */
  public static final double BATCH_NORM_EPS = 1e-5;

  public LayerSpec {
    if (!(keep > 0 && keep <= 1) || !(dropConnect > 0 && dropConnect <= 1)) {
      throw new IllegalArgumentException("keep probabilities must be in (0, 1], got " + keep + " and " + dropConnect);
    }
    if (!(gaussian >= 0) || !(noise >= 0) || !(batchNorm >= 0 && batchNorm <= 1)) {
      throw new IllegalArgumentException("noise needs s >= 0 and batch norm a momentum in [0, 1]");
    }
    if (tiedTo < -1) {
      throw new IllegalArgumentException("a tied layer names a dense layer >= 0, got " + tiedTo);
    }
  }

  public LayerSpec activation(String name) {
    return new LayerSpec(name, keep, gaussian, noise, dropConnect, batchNorm, tiedTo);
  }

  /** This layer with dense layer {@code layer}'s weight, transposed, in place of its own (-1: its own). */
  public LayerSpec tiedTo(int layer) {
    return new LayerSpec(activation, keep, gaussian, noise, dropConnect, batchNorm, layer);
  }

  /** Batch norm with this momentum (0: none). */
  public LayerSpec batchNorm(double momentum) {
    return new LayerSpec(activation, keep, gaussian, noise, dropConnect, momentum, tiedTo);
  }

  /** Whether this layer shares an earlier layer's weight. */
  public boolean isTied() {
    return tiedTo >= 0;
  }

  /** Whether the input is changed in training (dropout, Gaussian dropout or additive noise). */
  public boolean masksInput() {
    return keep < 1 || gaussian > 0 || noise > 0;
  }

  public boolean dropsConnections() {
    return dropConnect < 1;
  }

  public boolean normalizesBatch() {
    return batchNorm > 0;
  }
}
