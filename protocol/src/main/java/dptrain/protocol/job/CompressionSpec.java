package dptrain.protocol.job;

import java.util.Locale;

/**
 * How workers compress the gradients they push: {@code none}, {@code fp16}, {@code bf16},
 * {@code topk:F} (the largest fraction F of each chunk by magnitude, with error feedback: what is
 * not sent is added to the next gradient) or {@code threshold:T} (Strom 2015: the values past T
 * in magnitude, sent as +-T, with the rest kept as residuals, as DL4J's gradient sharing).
 */
public record CompressionSpec(String kind, double parameter) {
  public static final CompressionSpec NONE = new CompressionSpec("none", 0);
  public static final String ALLOWED = "none, fp16, bf16, topk:F (0 < F <= 1), threshold:T (T > 0)";

  public static CompressionSpec parse(String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split(":", 2);
    String kind = parts[0];
    switch (kind) {
      case "none", "fp16", "bf16" -> {
        if (parts.length > 1) {
          throw new IllegalArgumentException("--compression " + kind + " takes no parameter (allowed: " + ALLOWED + ")");
        }
        return new CompressionSpec(kind, 0);
      }
      case "topk", "threshold" -> {
        if (parts.length < 2) {
          throw new IllegalArgumentException("--compression " + kind + " needs a parameter (allowed: " + ALLOWED + ")");
        }
        double value;
        try {
          value = Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--compression " + text + ": '" + parts[1] + "' is not a number");
        }
        boolean ok = kind.equals("topk") ? value > 0 && value <= 1 : value > 0 && Double.isFinite(value);
        if (!ok) {
          throw new IllegalArgumentException("--compression " + text + " is out of range (allowed: " + ALLOWED + ")");
        }
        return new CompressionSpec(kind, value);
      }
      default -> throw new IllegalArgumentException("--compression '" + text + "' is not known (allowed: " + ALLOWED + ")");
    }
  }

  public boolean none() {
    return kind.equals("none");
  }

  /** Whether what is not sent is kept and added to the next gradient. */
  public boolean keepsResiduals() {
    return kind.equals("topk") || kind.equals("threshold");
  }

  public String text() {
    return switch (kind) {
      case "topk", "threshold" -> kind + ":" + parameter;
      default -> kind;
    };
  }
}
