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
 * {@code .npy} files. A maxout layer's {@code out} counts every piece (units times K).
 */
public final class ParameterLayout {
  /**
   * One dense layer's place in the flat vector.
   *
   * @param normOffset where gamma starts (beta, running mean and variance follow, each
   *     {@code out} long), or -1 without batch norm
   * @param alphaOffset PReLU's slope, or -1
   */
  public record Dense(int in, int out, long weightOffset, long biasOffset, long normOffset, long alphaOffset) {
    public long weightSize() {
      return (long) in * out;
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
      long weights = offset;
      long bias = weights + (long) in * out;
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
      built.add(new Dense(in, out, weights, bias, norm, alpha));
      if (kind != null) {
        hidden.add(kind);
      }
      momentum.add(spec.layer(l).batchNorm());
    }
    if (offset > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model has " + offset + " parameters; at most " + Integer.MAX_VALUE + " fit one vector");
    }
    this.layers = List.copyOf(built);
    this.units = Collections.unmodifiableList(hidden);
    this.momenta = List.copyOf(momentum);
    this.size = offset;
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

  /** The running mean and variance of every batch-norm layer, with their momentum. */
  public List<GradientRules.Statistic> statistics() {
    List<GradientRules.Statistic> ranges = new ArrayList<>();
    for (int l = 0; l < layers.size(); l++) {
      Dense d = layers.get(l);
      if (d.normalizes()) {
        ranges.add(new GradientRules.Statistic(d.runningMeanOffset(), 2L * d.out(), momenta.get(l)));
      }
    }
    return ranges;
  }

  /** The centres and widths (weight and bias) of every RBF layer. */
  public List<GradientRules.Range> rbfRanges() {
    List<GradientRules.Range> ranges = new ArrayList<>();
    for (int l = 0; l < units.size(); l++) {
      if (units.get(l).kind() == HiddenUnits.Kind.RBF) {
        Dense d = layers.get(l);
        ranges.add(new GradientRules.Range(d.weightOffset(), d.weightSize() + d.out()));
      }
    }
    return ranges;
  }

  /** Whether position i holds a running statistic rather than a parameter. */
  public boolean isStatistic(long i) {
    return statistics().stream().anyMatch(s -> i >= s.offset() && i < s.offset() + s.length());
  }
}
