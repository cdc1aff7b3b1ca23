package dptrain.coordinator.step;

import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Clipping by global norm across shards: each shard reports the sum of squares of its part of
 * the step's gradient; when all have, the scale is min(1, maxNorm / (norm + 1e-6)), as
 * torch.nn.utils.clip_grad_norm_. A norm that is not finite gives NaN: the shards skip the step.
 */
final class NormClipping {
  private record Partial(int reports, double squares) {}

  private final double maxNorm;
  private final int shards;
  private final Map<Long, Partial> byStep = new HashMap<>();

  NormClipping(double maxNorm, int shards) {
    this.maxNorm = maxNorm;
    this.shards = shards;
  }

  /** Takes a shard's report; returns the step's scale once every shard has reported. */
  OptionalDouble add(GradientSquares report) {
    Partial partial = byStep.merge(report.step(), new Partial(1, report.sumSquares()),
        (a, b) -> new Partial(a.reports() + b.reports(), a.squares() + b.squares()));
    if (partial.reports() < shards) {
      return OptionalDouble.empty();
    }
    byStep.remove(report.step());
    return OptionalDouble.of(scale(Math.sqrt(partial.squares()), maxNorm));
  }

  static double scale(double norm, double maxNorm) {
    if (!Double.isFinite(norm)) {
      return Double.NaN;
    }
    return Math.min(1.0, maxNorm / (norm + 1e-6));
  }
}
