package dptrain.deploy.train;

import dptrain.coordinator.job.Optimization;
import dptrain.coordinator.job.Regularization;
import dptrain.coordinator.lr.LrScheduleSpec;
import dptrain.deploy.UsageException;
import dptrain.protocol.job.OptimizerCatalog;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.Precision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the optimization keys into an {@link Optimization}, refusing every bad value with a
 * one-line message that names the option and its allowed range. An optimizer option whose key
 * is empty was not given: the optimizer's own default applies, and an option given to an
 * optimizer that does not have it is refused.
 */
final class OptimizationConfig {
  private OptimizationConfig() {}

  /** Keys holding optimizer options, in reference.conf; "betas" becomes beta1 and beta2. */
  private static final List<String> NUMBERS = List.of("lr", "momentum", "dampening", "weight-decay", "eps", "alpha",
      "lr-decay", "initial-accumulator-value", "rho", "momentum-decay", "history-size", "damping", "cg-iterations", "cg-tolerance", "tolerance-grad", "tolerance-change");
  private static final List<String> FLAGS = List.of("nesterov", "centered", "amsgrad", "exact-hessian");

  static Optimization read(ConfigReader r) {
    OptimizerSpec optimizer = guarded(() -> OptimizerCatalog.resolve(r.string("optimizer"), given(r)));
    LrScheduleSpec schedule = guarded(() -> LrScheduleSpec.parse(r.string("schedule"), r.whole("warmup", 0),
        (int) r.whole("lr-scaling-base", 0)));
    Regularization regularization = new Regularization(list(r, "l1"), list(r, "l2"), list(r, "decoupled-decay"),
        r.bool("penalize-biases"), atLeastZero(r, "clip-value"), atLeastZero(r, "clip-norm"),
        atLeastZero(r, "grad-noise"), atLeastZero(r, "grad-noise-gamma"), atLeastZero(r, "tie"));
    Precision precision = guarded(() -> Precision.fromName(r.string("dtype")));
    if (optimizer.fullBatch() && regularization.isActive()) {
      // The line search needs the penalised loss itself, which the workers do not compute.
      throw new UsageException("--l1, --l2, --decoupled-decay, --clip-value, --clip-norm, --grad-noise and --tie apply to the "
          + "stochastic optimizers, not to full-batch " + optimizer.name());
    }
    if (optimizer.fullBatch() && !schedule.name().equals("constant")) {
      throw new UsageException("--schedule applies to the stochastic optimizers; " + optimizer.name()
          + " chooses its steps by line search");
    }
    return new Optimization(optimizer, schedule, regularization, precision);
  }

  private static Map<String, Double> given(ConfigReader r) {
    Map<String, Double> given = new LinkedHashMap<>();
    for (String key : NUMBERS) {
      if (!r.string(key).isEmpty()) {
        given.put(key, r.number(key));
      }
    }
    for (String key : FLAGS) {
      if (!r.string(key).isEmpty()) {
        given.put(key, r.bool(key) ? 1.0 : 0.0);
      }
    }
    String betas = r.string("betas");
    if (!betas.isEmpty()) {
      String[] parts = betas.split(",");
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        given.put("beta1", Double.parseDouble(parts[0].trim()));
        given.put("beta2", Double.parseDouble(parts[1].trim()));
      } catch (NumberFormatException e) {
        throw new UsageException("--betas must be two numbers 'b1,b2' in [0, 1), got '" + betas + "'");
      }
    }
    return given;
  }

  private static List<Double> list(ConfigReader r, String key) {
    List<Double> values = new ArrayList<>();
    for (String part : r.string(key).split(",")) {
      try {
        double value = Double.parseDouble(part.trim());
        if (value >= 0 && Double.isFinite(value)) {
          values.add(value);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException("--" + key + " must be numbers >= 0 (one, or one per layer, joined by ','), got '"
          + r.string(key) + "'");
    }
    return values;
  }

  private static double atLeastZero(ConfigReader r, String key) {
    double value = r.number(key);
    if (value < 0) {
      throw new UsageException("--" + key + " must be a number >= 0, got " + value);
    }
    return value;
  }

  private static <T> T guarded(java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
