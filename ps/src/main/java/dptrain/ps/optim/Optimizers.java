package dptrain.ps.optim;

import dptrain.protocol.job.OptimizerCatalog;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;

/** Builds the element-wise optimizer an {@link OptimizerSpec} names, for one slice of parameters. */
public final class Optimizers {
  private Optimizers() {}

  /** A fresh optimizer state for a slice shaped like {@code like} (its length and precision). */
  public static Optimizer create(OptimizerSpec spec, FlatArray like) {
    return switch (spec.name()) {
      case "sgd" -> new Sgd(spec, like);
      case "momentum" -> new ClassicalMomentum(spec, like);
      case "nesterov" -> new LookAheadNesterov(spec, like);
      case "adagrad" -> new Adagrad(spec, like);
      case "rmsprop" -> new RmsProp(spec, like);
      case "rmsprop-nesterov" -> new RmsPropNesterov(spec, like);
      case "adam" -> new Adam(spec, like, false);
      case "adamw" -> new Adam(spec, like, true);
      case "adamax" -> new Adamax(spec, like);
      case "nadam" -> new Nadam(spec, like);
      case "adadelta" -> new Adadelta(spec, like);
      default -> throw new IllegalArgumentException("optimizer '" + spec.name() + "' has no shard-side update (allowed: "
          + OptimizerCatalog.allowed() + "; lbfgs, cg and newton are full-batch methods run by the Coordinator)");
    };
  }
}
