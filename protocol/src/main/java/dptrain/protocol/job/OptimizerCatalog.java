package dptrain.protocol.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every optimizer dptrain knows, with the options each has and their defaults (torch.optim's
 * where torch has the method), and the allowed range of every option. The one place that says
 * which flag belongs to which optimizer.
 */
public final class OptimizerCatalog {
  private OptimizerCatalog() {}

  private record Entry(String name, Map<String, Double> defaults, boolean fullBatch) {}

  private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

  static {
    add("sgd", false, "lr", 0.01, "momentum", 0, "dampening", 0, "nesterov", 0, "weight-decay", 0);
    add("momentum", false, "lr", 0.01, "momentum", 0.9, "weight-decay", 0);
    add("nesterov", false, "lr", 0.01, "momentum", 0.9, "weight-decay", 0);
    add("adagrad", false, "lr", 0.01, "lr-decay", 0, "weight-decay", 0, "initial-accumulator-value", 0, "eps", 1e-10);
    add("rmsprop", false, "lr", 0.01, "alpha", 0.99, "eps", 1e-8, "weight-decay", 0, "momentum", 0, "centered", 0);
    add("rmsprop-nesterov", false, "lr", 0.001, "alpha", 0.99, "eps", 1e-6, "weight-decay", 0, "momentum", 0.9);
    add("adam", false, "lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight-decay", 0, "amsgrad", 0);
    add("adamw", false, "lr", 0.001, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight-decay", 0.01, "amsgrad", 0);
    add("adamax", false, "lr", 0.002, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight-decay", 0);
    add("nadam", false, "lr", 0.002, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight-decay", 0, "momentum-decay", 0.004);
    add("adadelta", false, "lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight-decay", 0);
    add("lbfgs", true, "lr", 1.0, "history-size", 100, "tolerance-grad", 1e-7, "tolerance-change", 1e-9);
    add("cg", true, "lr", 1.0, "tolerance-grad", 1e-7, "tolerance-change", 1e-9);
    add("newton", true, "damping", 1e-3, "cg-iterations", 50, "cg-tolerance", 1e-10, "tolerance-grad", 1e-7,
        "tolerance-change", 1e-9, "exact-hessian", 0);
  }

  private static final Set<String> FLAGS = Set.of("nesterov", "centered", "amsgrad", "exact-hessian");

  private static void add(String name, boolean fullBatch, Object... pairs) {
    Map<String, Double> defaults = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      defaults.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    ENTRIES.put(name, new Entry(name, defaults, fullBatch));
  }

  public static String allowed() {
    return String.join(", ", ENTRIES.keySet());
  }

  static boolean isFullBatch(String name) {
    Entry entry = ENTRIES.get(name);
    return entry != null && entry.fullBatch();
  }

  /** The flags optimizer {@code name} takes, as {@code --lr, --betas, ...}. */
  public static String flagsOf(String name) {
    return String.join(", ", entry(name).defaults().keySet().stream()
        .map(o -> o.equals("beta1") ? "--betas" : o.equals("beta2") ? null : "--" + o)
        .filter(o -> o != null)
        .toList());
  }

  /**
   * The optimizer {@code name} with the {@code given} options over its defaults. Refuses an
   * unknown optimizer, an option it does not have, and a value outside the option's range,
   * with a message that names the option and what it allows.
   */
  public static OptimizerSpec resolve(String name, Map<String, Double> given) {
    Entry entry = entry(name);
    Map<String, Double> options = new LinkedHashMap<>(entry.defaults());
    for (var option : given.entrySet()) {
      if (!options.containsKey(option.getKey())) {
        String flag = option.getKey().startsWith("beta") ? "--betas" : "--" + option.getKey();
        throw new IllegalArgumentException(flag + " is not an option of " + name + " (its options: " + flagsOf(name) + ")");
      }
      options.put(option.getKey(), option.getValue());
    }
    options.forEach(OptimizerCatalog::checkRange);
    if (name.equals("sgd") && options.get("nesterov") != 0
        && (options.get("momentum") <= 0 || options.get("dampening") != 0)) {
      throw new IllegalArgumentException("--nesterov needs --momentum > 0 and --dampening 0, got --momentum "
          + options.get("momentum") + " --dampening " + options.get("dampening"));
    }
    return new OptimizerSpec(name, options);
  }

  private static Entry entry(String name) {
    Entry entry = ENTRIES.get(name);
    if (entry == null) {
      throw new IllegalArgumentException("unknown optimizer '" + name + "' (allowed: " + allowed() + ")");
    }
    return entry;
  }

  private static void checkRange(String option, double value) {
    boolean ok = switch (option) {
      case "lr", "eps", "damping", "cg-tolerance" -> value > 0 && !Double.isInfinite(value);
      case "cg-iterations" -> value >= 1 && value <= 100_000 && value == Math.rint(value);
      case "momentum", "beta1", "beta2", "alpha" -> value >= 0 && value < 1;
      case "dampening", "rho" -> value >= 0 && value <= 1;
      case "history-size" -> value >= 1 && value <= 100_000 && value == Math.rint(value);
      default -> FLAGS.contains(option) ? value == 0 || value == 1 : value >= 0 && !Double.isInfinite(value);
    };
    if (!ok) {
      String flag = option.startsWith("beta") ? "--betas" : "--" + option;
      throw new IllegalArgumentException(flag + " must be " + range(option) + ", got " + format(value));
    }
  }

  private static String range(String option) {
    return switch (option) {
      case "lr", "eps", "damping", "cg-tolerance" -> "a number > 0";
      case "cg-iterations" -> "a whole number in [1, 100000]";
      case "momentum", "alpha" -> "in [0, 1)";
      case "beta1", "beta2" -> "two numbers in [0, 1)";
      case "dampening", "rho" -> "in [0, 1]";
      case "history-size" -> "a whole number in [1, 100000]";
      default -> FLAGS.contains(option) ? "true or false" : "a number >= 0";
    };
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
