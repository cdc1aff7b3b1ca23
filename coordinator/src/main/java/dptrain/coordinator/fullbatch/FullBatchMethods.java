package dptrain.coordinator.fullbatch;

import dptrain.protocol.job.OptimizerSpec;

/** Builds the full-batch method an {@link OptimizerSpec} names. */
public final class FullBatchMethods {
  private FullBatchMethods() {}

  public static Minimizer create(OptimizerSpec spec, int iterations) {
    return switch (spec.name()) {
      case "lbfgs" -> new Lbfgs(spec.lr(), (int) spec.get("history-size"), iterations, spec.get("tolerance-grad"),
          spec.get("tolerance-change"));
      case "newton" -> new Newton(spec.get("damping"), (int) spec.get("cg-iterations"), spec.get("cg-tolerance"), iterations,
          spec.get("tolerance-grad"), spec.get("tolerance-change"), spec.get("exact-hessian") != 0);
      case "cg" -> new ConjugateGradient(spec.lr(), iterations, spec.get("tolerance-grad"), spec.get("tolerance-change"));
      default -> throw new IllegalArgumentException(spec.name() + " is not a full-batch method");
    };
  }
}
