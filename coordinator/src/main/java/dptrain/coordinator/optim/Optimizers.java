package dptrain.coordinator.optim;

import dptrain.protocol.job.OptimizerSpec;

/** Builds the optimizer an {@link OptimizerSpec} names. */
public final class Optimizers {
  private Optimizers() {}

  /** A fresh optimizer state for a slice of {@code size} parameters. */
  public static Optimizer create(OptimizerSpec spec, int size) {
    return switch (spec.name()) {
      case "sgd" -> new Sgd(spec, size);
      case "adam" -> new Adam(spec, size);
      default -> throw new IllegalArgumentException("unknown optimizer '" + spec.name() + "' (allowed: " + OptimizerSpec.ALLOWED + ")");
    };
  }
}
