package dptrain.protocol.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One head of a multitask network (the lecture's multitask learning): a slice of the output
 * layer's units, with its own loss and the output activation that loss implies, weighted in the
 * sum that is the model's loss. Its targets are the data's next target columns: one class index
 * for {@code ce}, one column per output for the others.
 *
 * @param width the head's outputs (at least 2 for ce)
 * @param loss ce, bce, mse, mae or huber
 * @param weight its weight in the summed loss (> 0)
 */
public record Head(int width, String loss, double weight) {
  public static final List<String> LOSSES = List.of("ce", "bce", "mse", "mae", "huber");

  public Head {
    if (!LOSSES.contains(loss)) {
      throw new IllegalArgumentException("head loss '" + loss + "' is not one of " + String.join(", ", LOSSES));
    }
    if (width < (loss.equals("ce") ? 2 : 1)) {
      throw new IllegalArgumentException("a " + loss + " head needs at least " + (loss.equals("ce") ? 2 : 1)
          + " output(s), got " + width);
    }
    if (!(weight > 0 && Double.isFinite(weight))) {
      throw new IllegalArgumentException("a head's weight must be a finite number > 0, got " + weight);
    }
  }

  /** The output activation this head's loss is computed after. */
  public String outputActivation() {
    return switch (loss) {
      case "ce" -> "softmax";
      case "bce" -> "sigmoid";
      default -> "identity";
    };
  }

  /** How many of the data's target columns this head reads. */
  public int targetColumns() {
    return loss.equals("ce") ? 1 : width;
  }

  /** Whether the head predicts a class (ce, or bce with one output), so has an accuracy. */
  public boolean predictsClass() {
    return loss.equals("ce") || (loss.equals("bce") && width == 1);
  }

  /** As {@code --heads} writes it. */
  @Override
  public String toString() {
    return width + ":" + loss + (weight == 1 ? "" : ":" + String.format(Locale.ROOT, "%s", weight));
  }

  /**
   * {@code --heads}: comma-separated {@code WIDTH:LOSS[:WEIGHT]}, e.g. {@code 10:ce,1:mse:0.5};
   * at least two heads (one head is an ordinary model).
   */
  public static List<Head> parse(String text) {
    List<Head> heads = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String[] fields = part.trim().split(":", -1);
      if (fields.length < 2 || fields.length > 3) {
        throw new IllegalArgumentException("--heads takes WIDTH:LOSS[:WEIGHT] per head, comma-separated (e.g. 10:ce,1:mse:0.5), got '"
            + part.trim() + "'");
      }
      int width;
      double weight = 1;
      try {
        width = Integer.parseInt(fields[0].trim());
        if (fields.length == 3) {
          weight = Double.parseDouble(fields[2].trim());
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--heads: '" + part.trim() + "' needs a whole width and a numeric weight");
      }
      heads.add(new Head(width, fields[1].trim(), weight));
    }
    if (heads.size() < 2) {
      throw new IllegalArgumentException("--heads needs at least two heads (one head is the ordinary --loss), got '" + text + "'");
    }
    return List.copyOf(heads);
  }

  /** The heads as {@code --heads} writes them. */
  public static String text(List<Head> heads) {
    return String.join(",", heads.stream().map(Head::toString).toList());
  }

  /** The heads' total outputs. */
  public static int outputs(List<Head> heads) {
    return heads.stream().mapToInt(Head::width).sum();
  }

  /** The heads' total target columns. */
  public static int targetColumns(List<Head> heads) {
    return heads.stream().mapToInt(Head::targetColumns).sum();
  }
}
