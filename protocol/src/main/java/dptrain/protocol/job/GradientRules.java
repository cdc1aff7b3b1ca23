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
 */
public record GradientRules(
    List<Penalty> penalties, double clipValue, double clipNorm, double noiseEta, double noiseGamma, long seed) {

  public static final GradientRules NONE = new GradientRules(List.of(), 0, 0, 0, 0, 0);

  public GradientRules {
    penalties = List.copyOf(penalties);
  }

  /** A range [offset, offset + length) with its L1, L2 (coupled) and decoupled decay coefficients. */
  public record Penalty(long offset, long length, double l1, double l2, double decoupled) {}

  public boolean clipsByNorm() {
    return clipNorm > 0;
  }
}
