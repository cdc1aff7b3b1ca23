package dptrain.protocol.job;

import java.util.List;

/**
 * What every parameter-server shard does to the step's aggregated (mean) gradient before the
 * optimizer sees it, in this order: add the coupled penalties (l2 * w + l1 * sign(w)) of the
 * ranges that have them; add annealed Gaussian noise of variance noiseEta / (1 + t)^noiseGamma;
 * clip each value to [-clipValue, clipValue]; scale the whole gradient, across every shard, to
 * norm at most clipNorm (as torch.nn.utils.clip_grad_norm_); then shrink the weights by
 * lr * decoupled (decoupled weight decay). A zero turns a rule off.
 *
 * @param penalties ranges of the flat vector with their coefficients; ranges not listed (by
 *     default the biases) are not penalised
 * @param seed seeds the noise, drawn per (seed, step, position), so it does not depend on sharding
 * @param statistics ranges that hold running statistics (batch norm's mean and variance), not
 *     parameters: the workers send the batch's statistic there in place of a gradient, and the
 *     shard keeps running = (1 - m) running + m mean-over-micro-batches; no optimizer, penalty,
 *     noise or clipping touches them
 * @param frozen ranges the optimizer must leave as they are (e.g. an RBF layer's centres during
 *     2-step learning)
 * @param ties parameter tying between a model pair's corresponding ranges: lambda ||a - b||^2
 *     adds 2 lambda (a - b) to a's gradient and 2 lambda (b - a) to b's, both taken where the
 *     step's loss gradient was taken (added with the coupled penalties)
 */
public record GradientRules(
    List<Penalty> penalties, double clipValue, double clipNorm, double noiseEta, double noiseGamma, long seed,
    List<Statistic> statistics, List<Range> frozen, List<Tie> ties) {

  public static final GradientRules NONE = new GradientRules(List.of(), 0, 0, 0, 0, 0);

  public GradientRules {
    penalties = List.copyOf(penalties);
    statistics = List.copyOf(statistics);
    frozen = List.copyOf(frozen);
    ties = List.copyOf(ties);
  }

  /** Without ties. */
  public GradientRules(List<Penalty> penalties, double clipValue, double clipNorm, double noiseEta, double noiseGamma,
      long seed, List<Statistic> statistics, List<Range> frozen) {
    this(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed, statistics, frozen, List.of());
  }

  /** Ranges [a, a + length) and [b, b + length) pulled together by lambda ||a - b||^2. */
  public record Tie(long a, long b, long length, double lambda) {}

  /** These rules with these ties. */
  public GradientRules tying(List<Tie> pairs) {
    return new GradientRules(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed, statistics, frozen, pairs);
  }

  /** Rules over parameters only: no running statistics, nothing frozen. */
  public GradientRules(List<Penalty> penalties, double clipValue, double clipNorm, double noiseEta, double noiseGamma,
      long seed) {
    this(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed, List.of(), List.of());
  }

  /** A range [offset, offset + length) of running statistics, averaged with this momentum. */
  public record Statistic(long offset, long length, double momentum) {}

  /** A range [offset, offset + length) of the flat vector. */
  public record Range(long offset, long length) {}

  /** These rules with these ranges frozen. */
  public GradientRules freezing(List<Range> ranges) {
    return new GradientRules(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed, statistics, ranges, ties);
  }

  /** These rules with these ranges of running statistics. */
  public GradientRules withStatistics(List<Statistic> ranges) {
    return new GradientRules(penalties, clipValue, clipNorm, noiseEta, noiseGamma, seed, ranges, frozen, ties);
  }

  /** A range [offset, offset + length) with its L1, L2 (coupled) and decoupled decay coefficients. */
  public record Penalty(long offset, long length, double l1, double l2, double decoupled) {}

  public boolean clipsByNorm() {
    return clipNorm > 0;
  }
}
