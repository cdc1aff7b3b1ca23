package dptrain.protocol.job;

import java.util.Collections;
import java.util.List;

/**
 * The network a job trains: layer widths (input first, output last), the hidden activation,
 * the output activation and the loss, all by their command-line names, and per dense layer its
 * {@link LayerSpec} (own activation, dropout, noise, DropConnect, batch norm), and whether batch
 * norm uses each micro-batch's statistics (as PyTorch DDP by default) or, synchronised, the
 * whole global batch's (as torch.nn.SyncBatchNorm), and the noise on the training targets (the
 * lecture's output noise): the ce loss's label smoothing and, for regression losses, the
 * standard deviation of Gaussian noise added to each target (0: none). A multitask network has
 * {@code heads} (at least two): its output layer is their slices side by side, each with its own
 * loss, and its loss and output activation are both {@link #MULTITASK}; otherwise heads is empty.
 * {@code copies} is 2 for a model pair (parameter tying: two networks of this shape, one after the
 * other in the flat vector, each trained on its own data set), else 1.
 */
public record ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
    List<LayerSpec> layers, boolean syncBatchNorm, double labelSmoothing, double targetNoise, List<Head> heads, int copies) {

  /** The loss and output activation of a network with heads: each head has its own. */
  public static final String MULTITASK = "multitask";

  public ModelSpec {
    widths = List.copyOf(widths);
    heads = List.copyOf(heads);
    checkHeads(widths, outputActivation, loss, heads);
    if (copies != 1 && copies != 2) {
      throw new IllegalArgumentException("a model is one network or a pair, not " + copies);
    }
    int dense = Math.max(0, widths.size() - 1);
    layers = layers.isEmpty() ? Collections.nCopies(dense, LayerSpec.PLAIN) : List.copyOf(layers);
    if (layers.size() != dense) {
      throw new IllegalArgumentException("model of " + dense + " dense layers with " + layers.size() + " layer settings");
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    if (labelSmoothing > 0 && !loss.equals("ce") && heads.stream().noneMatch(h -> h.loss().equals("ce"))) {
      throw new IllegalArgumentException("label smoothing is for the ce loss, not " + loss);
    }
    if (!(targetNoise >= 0 && Double.isFinite(targetNoise))) {
      throw new IllegalArgumentException("target noise must be a finite standard deviation >= 0, got " + targetNoise);
    }
    if (targetNoise > 0 && !heads.isEmpty()) {
      throw new IllegalArgumentException("target noise is for a model with one regression loss, not one with heads");
    }
    if (targetNoise > 0 && !REGRESSION_LOSSES.contains(loss)) {
      throw new IllegalArgumentException("target noise is for the regression losses " + REGRESSION_LOSSES + ", not " + loss);
    }
  }

  private static void checkHeads(List<Integer> widths, String outputActivation, String loss, List<Head> heads) {
    if (heads.isEmpty()) {
      if (loss.equals(MULTITASK) || outputActivation.equals(MULTITASK)) {
        throw new IllegalArgumentException("a multitask model needs its heads");
      }
      return;
    }
    if (heads.size() < 2 || !loss.equals(MULTITASK) || !outputActivation.equals(MULTITASK)) {
      throw new IllegalArgumentException("a model with heads has at least two, and the multitask loss and output");
    }
    int outputs = Head.outputs(heads);
    if (widths.isEmpty() || widths.get(widths.size() - 1) != outputs) {
      throw new IllegalArgumentException("--heads " + Head.text(heads) + " has " + outputs + " outputs; the model's output layer has "
          + (widths.isEmpty() ? 0 : widths.get(widths.size() - 1)));
    }
  }

  /** Whether this is a multitask network (it has heads). */
  public boolean isMultitask() {
    return !heads.isEmpty();
  }

  /** The same trunk with these heads in place of its loss and output (empty heads: unchanged). */
  public ModelSpec withHeads(List<Head> newHeads) {
    if (newHeads.isEmpty()) {
      return this;
    }
    return new ModelSpec(widths, hiddenActivation, MULTITASK, MULTITASK, layers, syncBatchNorm, labelSmoothing, targetNoise,
        newHeads, copies);
  }

  /** With heads, or none, and one copy. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
      List<LayerSpec> layers, boolean syncBatchNorm, double labelSmoothing, double targetNoise, List<Head> heads) {
    this(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, labelSmoothing, targetNoise, heads, 1);
  }

  /** The same network twice (parameter tying's pair), or once. */
  public ModelSpec withCopies(int n) {
    return new ModelSpec(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, labelSmoothing, targetNoise,
        heads, n);
  }

  /** Whether this is a model pair. */
  public boolean isPair() {
    return copies == 2;
  }

  /** Single-task. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
      List<LayerSpec> layers, boolean syncBatchNorm, double labelSmoothing, double targetNoise) {
    this(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, labelSmoothing, targetNoise, List.of());
  }

  /** The losses of real-valued targets, which additive target noise applies to. */
  public static final List<String> REGRESSION_LOSSES = List.of("mse", "mae", "huber");

  /** Without target noise. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
      List<LayerSpec> layers, boolean syncBatchNorm, double labelSmoothing) {
    this(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, labelSmoothing, 0);
  }

  /** No label smoothing. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
      List<LayerSpec> layers, boolean syncBatchNorm) {
    this(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, 0);
  }

  /** A plain network: one activation for every hidden layer, nothing else. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss) {
    this(widths, hiddenActivation, outputActivation, loss, List.of());
  }

  /** Batch norm, if any, per micro-batch. */
  public ModelSpec(List<Integer> widths, String hiddenActivation, String outputActivation, String loss,
      List<LayerSpec> layers) {
    this(widths, hiddenActivation, outputActivation, loss, layers, false);
  }

  /** The same network with batch norm synchronised across workers, or not. */
  public ModelSpec withSyncBatchNorm(boolean sync) {
    return new ModelSpec(widths, hiddenActivation, outputActivation, loss, layers, sync, labelSmoothing, targetNoise, heads, copies);
  }

  /**
   * The same network trained on ce targets smoothed by {@code eps} (torch's label_smoothing): each
   * row's one-hot target becomes (1 - eps) y + eps / k. Evaluation scores the plain targets.
   */
  public ModelSpec withLabelSmoothing(double eps) {
    return new ModelSpec(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, eps, targetNoise, heads, copies);
  }

  /**
   * The same network trained on regression targets with N(0, s^2) noise added, drawn anew for
   * every (seed, step, row, output). Evaluation scores the plain targets.
   */
  public ModelSpec withTargetNoise(double s) {
    return new ModelSpec(widths, hiddenActivation, outputActivation, loss, layers, syncBatchNorm, labelSmoothing, s, heads, copies);
  }

  /** Dense layer l's settings (0-based, the output layer last). */
  public LayerSpec layer(int layer) {
    return layers.get(layer);
  }

  /** Whether dense layer l's input is changed in training (dropout, Gaussian dropout, noise). */
  public boolean masksInput(int layer) {
    return layers.get(layer).masksInput();
  }

  public int inputWidth() {
    return widths.get(0);
  }

  public int outputWidth() {
    return widths.get(widths.size() - 1);
  }

  /** The number of dense layers. */
  public int denseLayers() {
    return widths.size() - 1;
  }

  /** Hidden layer l's activation (0-based). */
  public String activationOf(int hiddenLayer) {
    String own = layers.get(hiddenLayer).activation();
    return own.isEmpty() ? hiddenActivation : own;
  }

  /** The widths joined by dashes, as {@code --model} takes them. */
  public String widthsText() {
    return String.join("-", widths.stream().map(String::valueOf).toList());
  }
}
