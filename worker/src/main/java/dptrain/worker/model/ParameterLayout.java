package dptrain.worker.model;

import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.ModelSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each tensor sits in the one flat parameter vector, layer by layer: the weight [in, out]
 * row-major, the bias [out]; with batch norm then gamma, beta, running mean and running
 * variance [out] each; with PReLU its slope alpha. This order is also the order of exported
 * {@code .npy} files. A maxout layer's {@code out} counts every piece (units times K). A tied
 * layer (parameter sharing) has no weight of its own: its weight is an earlier layer's, [out, in]
 * at that layer's offset, used transposed; its bias is its own.
 */
public final class ParameterLayout {
  /**
   * One dense layer's place in the flat vector.
   *
   * @param normOffset where gamma starts (beta, running mean and variance follow, each
   *     {@code out} long), or -1 without batch norm
   * @param alphaOffset PReLU's slope, or -1
   * @param tiedTo the earlier layer whose weight this one uses transposed (then
   *     {@code weightOffset} is that layer's), or -1 for a weight of its own
   */
  public record Dense(int in, int out, long weightOffset, long biasOffset, long normOffset, long alphaOffset, int tiedTo) {
    public long weightSize() {
      return (long) in * out;
    }

    /** The weights this layer holds in the flat vector: none when tied. */
    public long ownWeightSize() {
      return tied() ? 0 : weightSize();
    }

    public boolean tied() {
      return tiedTo >= 0;
    }

    public boolean normalizes() {
      return normOffset >= 0;
    }

    public long gammaOffset() {
      return normOffset;
    }

    public long betaOffset() {
      return normOffset + out;
    }

    public long runningMeanOffset() {
      return normOffset + 2L * out;
    }

    public long runningVarianceOffset() {
      return normOffset + 3L * out;
    }
  }

  private final List<Dense> layers;
  private final List<HiddenUnits> units;
  private final List<Double> momenta;
  /** One network's parameters; a model pair holds two such blocks. */
  private final long networkSize;
  private final int copies;
  private final long size;

  /** Plain dense layers of these widths. */
  public ParameterLayout(List<Integer> widths) {
    this(new ModelSpec(widths, "identity", "identity", "mse"));
  }

  public ParameterLayout(ModelSpec spec) {
    List<Integer> widths = spec.widths();
    if (widths.size() < 2) {
      throw new IllegalArgumentException("a model needs at least an input and an output width");
    }
    List<Dense> built = new ArrayList<>();
    List<HiddenUnits> hidden = new ArrayList<>();
    List<Double> momentum = new ArrayList<>();
    long offset = 0;
    for (int l = 0; l + 1 < widths.size(); l++) {
      boolean output = l + 2 == widths.size();
      HiddenUnits kind = output ? null : HiddenUnits.parse(spec.activationOf(l));
      int in = widths.get(l);
      int out = widths.get(l + 1) * (kind == null ? 1 : kind.pieces());
      int tiedTo = spec.layer(l).tiedTo();
      if (tiedTo >= 0) {
        checkTie(spec, built, l, in, out, kind);
      }
      long weights = tiedTo >= 0 ? built.get(tiedTo).weightOffset() : offset;
      long bias = tiedTo >= 0 ? offset : weights + (long) in * out;
      offset = bias + out;
      long norm = -1;
      if (spec.layer(l).normalizesBatch()) {
        norm = offset;
        offset += 4L * out;
      }
      long alpha = -1;
      if (kind != null && kind.kind() == HiddenUnits.Kind.PRELU) {
        alpha = offset;
        offset += 1;
      }
      built.add(new Dense(in, out, weights, bias, norm, alpha, tiedTo));
      if (kind != null) {
        hidden.add(kind);
      }
      momentum.add(spec.layer(l).batchNorm());
    }
    if (offset * spec.copies() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model has " + offset * spec.copies() + " parameters; at most " + Integer.MAX_VALUE
          + " fit one vector");
    }
    this.layers = List.copyOf(built);
    this.units = Collections.unmodifiableList(hidden);
    this.momenta = List.copyOf(momentum);
    this.networkSize = offset;
    this.copies = spec.copies();
    this.size = offset * copies;
  }

  /** Where network {@code c} of a model pair starts (0 for the first, or the only one). */
  public long copyOffset(int c) {
    return c * networkSize;
  }

  /** 1, or 2 for a model pair; {@link #layers} are the first network's, the second's are {@link #copyOffset} further. */
  public int copies() {
    return copies;
  }

  /** A tied layer mirrors a plain earlier layer: W [in, out] there, [out, in] here, neither maxout, rbf nor DropConnect. */
  private static void checkTie(ModelSpec spec, List<Dense> built, int l, int in, int out, HiddenUnits kind) {
    int source = spec.layer(l).tiedTo();
    if (source >= l) {
      throw new IllegalArgumentException("dense layer " + (l + 1) + " is tied to layer " + (source + 1) + ", which is not earlier");
    }
    Dense shared = built.get(source);
    if (shared.tied()) {
      throw new IllegalArgumentException("dense layer " + (l + 1) + " is tied to layer " + (source + 1)
          + ", which is tied itself: tie it to a layer with a weight of its own");
    }
    if (shared.in() != out || shared.out() != in) {
      throw new IllegalArgumentException("tied layers must mirror: dense layer " + (l + 1) + " is " + in + "x" + out
          + ", layer " + (source + 1) + " is " + shared.in() + "x" + shared.out() + " (its transpose would be " + shared.out() + "x"
          + shared.in() + ")");
    }
    HiddenUnits sourceKind = source + 1 < spec.denseLayers() ? HiddenUnits.parse(spec.activationOf(source)) : null;
    for (HiddenUnits k : new HiddenUnits[] {kind, sourceKind}) {
      if (k != null && (k.kind() == HiddenUnits.Kind.MAXOUT || k.kind() == HiddenUnits.Kind.RBF)) {
        throw new IllegalArgumentException("tied layers are plain dense layers, not maxout or rbf");
      }
    }
    if (spec.layer(l).dropsConnections() || spec.layer(source).dropsConnections()) {
      throw new IllegalArgumentException("tied layers take no dropconnect (it would mask one shared weight twice)");
    }
  }

  /** Whether some later layer uses layer l's weight: then l's own weight gradient adds to what that layer wrote. */
  public boolean sharedLater(int l) {
    return layers.stream().anyMatch(d -> d.tiedTo() == l);
  }

  public List<Dense> layers() {
    return layers;
  }

  /** Hidden layer l's units. */
  public HiddenUnits units(int hiddenLayer) {
    return units.get(hiddenLayer);
  }

  /** The number of parameters (running statistics included). */
  public long size() {
    return size;
  }

  /** The running mean and variance of every batch-norm layer (of each network of a pair), with their momentum. */
  public List<GradientRules.Statistic> statistics() {
    List<GradientRules.Statistic> ranges = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (int l = 0; l < layers.size(); l++) {
        Dense d = layers.get(l);
        if (d.normalizes()) {
          ranges.add(new GradientRules.Statistic(copyOffset(c) + d.runningMeanOffset(), 2L * d.out(), momenta.get(l)));
        }
      }
    }
    return ranges;
  }

  /** The centres and widths (weight and bias) of every RBF layer. */
  public List<GradientRules.Range> rbfRanges() {
    List<GradientRules.Range> ranges = new ArrayList<>();
    for (int c = 0; c < copies; c++) {
      for (int l = 0; l < units.size(); l++) {
        if (units.get(l).kind() == HiddenUnits.Kind.RBF) {
          Dense d = layers.get(l);
          ranges.add(new GradientRules.Range(copyOffset(c) + d.weightOffset(), d.ownWeightSize() + d.out()));
        }
      }
    }
    return ranges;
  }

  /** Whether position i holds a running statistic rather than a parameter. */
  public boolean isStatistic(long i) {
    return statistics().stream().anyMatch(s -> i >= s.offset() && i < s.offset() + s.length());
  }
}
