package dptrain.protocol.job;

import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer by name with every one of its options resolved (booleans as 0 or 1), named as
 * the command-line flags without their dashes ({@code lr}, {@code weight-decay}, {@code beta1}
 * and {@code beta2} for {@code --betas}). Built by {@link OptimizerCatalog#resolve}, which fills
 * the optimizer's torch.optim defaults and refuses options it does not have or values outside
 * their ranges. Travels to the parameter-server shards, wherever they run.
 */
public record OptimizerSpec(String name, Map<String, Double> options) {

  public OptimizerSpec {
    options = Map.copyOf(new TreeMap<>(options));
  }

  /** Shorthand, mostly for tests: the optimizer with these options over its defaults. */
  public static OptimizerSpec of(String name, Map<String, Double> given) {
    return OptimizerCatalog.resolve(name, given);
  }

  public double get(String option) {
    Double value = options.get(option);
    if (value == null) {
      throw new IllegalArgumentException("optimizer " + name + " has no option " + option);
    }
    return value;
  }

  public boolean flag(String option) {
    return get(option) != 0;
  }

  public double lr() {
    return get("lr");
  }

  /** Full-batch methods (lbfgs, cg, newton) are driven by the Coordinator, not by the shards. */
  public boolean fullBatch() {
    return OptimizerCatalog.isFullBatch(name);
  }
}
