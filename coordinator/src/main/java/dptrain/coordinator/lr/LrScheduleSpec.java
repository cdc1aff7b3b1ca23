package dptrain.coordinator.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schedule as the user wrote it: {@code NAME[:key=value,...]} ({@code --schedule}), plus a
 * linear warm-up of {@code warmupSteps} in front of it ({@code --warmup}) and the opt-in linear
 * scaling rule ({@code --lr-scaling-base B}: lr times the global batch over B, Goyal et al. 2017).
 * Parsed and checked when the job is configured; built into an {@link LrSchedule} when the
 * step count is known.
 */
public record LrScheduleSpec(String name, Map<String, Double> options, long warmupSteps, int scalingBase) {

  public static final LrScheduleSpec CONSTANT = new LrScheduleSpec("constant", Map.of(), 0, 0);

  private static final Map<String, List<String>> KEYS = new LinkedHashMap<>();

  static {
    KEYS.put("constant", List.of());
    KEYS.put("linear", List.of("tau", "final"));
    KEYS.put("step", List.of("every", "gamma"));
    KEYS.put("exponential", List.of("gamma"));
    KEYS.put("plateau", List.of("patience", "factor", "threshold", "min"));
    KEYS.put("cosine", List.of("period", "min"));
    KEYS.put("one-cycle", List.of("pct", "div", "final-div"));
    KEYS.put("sgdr", List.of("period", "mult", "min"));
  }

  public LrScheduleSpec {
    options = Map.copyOf(options);
  }

  public static String allowed() {
    return String.join(", ", KEYS.keySet());
  }

  /** Parses {@code NAME[:key=value,...]}; refuses unknown names, keys and malformed or out-of-range values. */
  public static LrScheduleSpec parse(String text, long warmupSteps, int scalingBase) {
    String[] parts = text.trim().split(":", 2);
    String name = parts[0];
    if (!KEYS.containsKey(name)) {
      throw new IllegalArgumentException("--schedule: unknown schedule '" + name + "' (allowed: " + allowed() + ")");
    }
    Map<String, Double> options = new LinkedHashMap<>();
    if (parts.length == 2 && !parts[1].isBlank()) {
      for (String pair : parts[1].split(",")) {
        String[] kv = pair.split("=", 2);
        String key = kv[0].trim();
        if (!KEYS.get(name).contains(key)) {
          throw new IllegalArgumentException("--schedule " + name + " has no option '" + key + "' (its options: "
              + (KEYS.get(name).isEmpty() ? "none" : String.join(", ", KEYS.get(name))) + ")");
        }
        options.put(key, number(name, key, kv.length == 2 ? kv[1].trim() : ""));
      }
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("--warmup must be a whole number of steps >= 0, got " + warmupSteps);
    }
    if (scalingBase < 0) {
      throw new IllegalArgumentException("--lr-scaling-base must be 0 (off) or a batch size >= 1, got " + scalingBase);
    }
    return new LrScheduleSpec(name, options, warmupSteps, scalingBase);
  }

  double option(String key, double fallback) {
    return options.getOrDefault(key, fallback);
  }

  private static double number(String name, String key, String text) {
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--schedule " + name + ": " + key + " must be a number, got '" + text + "'");
    }
    boolean ok = switch (key) {
      case "gamma", "factor" -> value > 0 && value <= 1;
      case "pct" -> value > 0 && value < 1;
      case "tau", "every", "period", "div", "final-div" -> value > 0 && Double.isFinite(value);
      case "mult" -> value >= 1 && value == Math.rint(value);
      default -> value >= 0 && Double.isFinite(value);
    };
    if (!ok) {
      String range = switch (key) {
        case "gamma", "factor" -> "in (0, 1]";
        case "pct" -> "in (0, 1)";
        case "tau", "every", "period", "div", "final-div" -> "> 0";
        case "mult" -> "a whole number >= 1";
        default -> ">= 0";
      };
      throw new IllegalArgumentException("--schedule " + name + ": " + key + " must be " + range + ", got " + text);
    }
    return value;
  }
}
