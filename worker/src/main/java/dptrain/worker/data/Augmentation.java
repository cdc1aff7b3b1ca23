package dptrain.worker.data;

import dptrain.worker.random.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random changes to training inputs, drawn per (seed, step, training row), so a sample's
 * change does not depend on which worker computes it (a row is visited once per epoch, so the
 * step stands for the epoch). Applied in this order:
 * <ul>
 *   <li>image data only (a square single-channel image of side sqrt(width), e.g. 28 x 28):
 *       {@code flip} (mirror left-right with probability 1/2), {@code crop:S} (a random square
 *       of S..1 times the side, rescaled bilinearly to the full image), {@code translate:T} (shift
 *       by -T..T pixels each way, filling with 0), {@code cutout:C} (zero a C x C square at a
 *       random centre, DeVries and Taylor 2017);
 *   <li>any data: {@code noise:S} (add N(0, S^2) to each value: input-noise injection) and
 *       {@code scale:S} (multiply each value by N(1, S^2)).
 * </ul>
 * Written as {@code --augment flip,translate:2,cutout:8,noise:0.1}; {@code none} for none.
 */
public final class Augmentation {
  public static final String ALLOWED = "none, or a comma list of flip, crop:S (0 < S < 1), translate:T, cutout:C, noise:S, scale:S";

  private final boolean flip;
  private final double crop;
  private final int translate;
  private final int cutout;
  private final double noise;
  private final double scale;
  private final int side;

  private Augmentation(boolean flip, double crop, int translate, int cutout, double noise, double scale, int side) {
    this.flip = flip;
    this.crop = crop;
    this.translate = translate;
    this.cutout = cutout;
    this.noise = noise;
    this.scale = scale;
    this.side = side;
  }

  /** The augmentation {@code text} names for rows of {@code width} values; null for none. */
  public static Augmentation parse(String text, int width) {
    if (text.isBlank() || text.equals("none")) {
      return null;
    }
    boolean flip = false;
    double crop = 1;
    int translate = 0;
    int cutout = 0;
    double noise = 0;
    double scale = 0;
    List<String> image = new ArrayList<>();
    for (String item : text.split(",")) {
      String[] parts = item.trim().split(":", 2);
      String name = parts[0];
      switch (name) {
        case "flip" -> flip = true;
        case "crop" -> crop = number(text, parts, 0, 1, false);
        case "translate" -> translate = (int) number(text, parts, 0, 1e6, true);
        case "cutout" -> cutout = (int) number(text, parts, 0, 1e6, true);
        case "noise" -> noise = number(text, parts, 0, Double.MAX_VALUE, false);
        case "scale" -> scale = number(text, parts, 0, Double.MAX_VALUE, false);
        default -> throw new DataException("--augment: unknown augmentation '" + item.trim() + "' (allowed: " + ALLOWED + ")");
      }
      if (!name.equals("noise") && !name.equals("scale")) {
        image.add(name);
      }
    }
    int side = (int) Math.round(Math.sqrt(width));
    if (!image.isEmpty() && side * side != width) {
      throw new DataException("--augment " + String.join(", ", image) + " needs square single-channel images, but rows have "
          + width + " values (noise:S and scale:S work on any data)");
    }
    return new Augmentation(flip, crop, translate, cutout, noise, scale, side);
  }

  private static double number(String text, String[] parts, double low, double high, boolean whole) {
    try {
      double value = Double.parseDouble(parts.length == 2 ? parts[1] : "");
      boolean inRange = whole ? value >= 1 && value == Math.rint(value) && value <= high : value > low && value < high;
      if (inRange) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataException("--augment " + text + ": " + parts[0] + " takes "
        + (whole ? "a whole number >= 1" : parts[0].equals("crop") ? "a scale in (0, 1)" : "a number > 0") + ", e.g. "
        + parts[0] + ":" + (whole ? "2" : parts[0].equals("crop") ? "0.8" : "0.1"));
  }

  /** Changes each row of {@code values} (rows.length rows of width values, row-major) in place. */
  public void apply(double[] values, int[] rows, int width, long seed, long step) {
    double[] image = new double[width];
    double[] scratch = new double[width];
    for (int i = 0; i < rows.length; i++) {
      SplittableRandom random = Seeds.random(seed, "augment", step, rows[i]);
      System.arraycopy(values, i * width, image, 0, width);
      if (side * side == width) {
        transformImage(image, scratch, random);
      }
      for (int j = 0; j < width; j++) {
        if (scale > 0) {
          image[j] *= 1 + scale * random.nextGaussian();
        }
        if (noise > 0) {
          image[j] += noise * random.nextGaussian();
        }
      }
      System.arraycopy(image, 0, values, i * width, width);
    }
  }

  private void transformImage(double[] image, double[] scratch, SplittableRandom random) {
    int n = side;
    if (flip && random.nextBoolean()) {
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n / 2; x++) {
          double swap = image[y * n + x];
          image[y * n + x] = image[y * n + n - 1 - x];
          image[y * n + n - 1 - x] = swap;
        }
      }
    }
    if (crop < 1) {
      double size = n * (crop + (1 - crop) * random.nextDouble());
      double x0 = random.nextDouble() * (n - size);
      double y0 = random.nextDouble() * (n - size);
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          scratch[y * n + x] = bilinear(image, x0 + (x + 0.5) * size / n - 0.5, y0 + (y + 0.5) * size / n - 0.5);
        }
      }
      System.arraycopy(scratch, 0, image, 0, n * n);
    }
    if (translate > 0) {
      int dx = random.nextInt(2 * translate + 1) - translate;
      int dy = random.nextInt(2 * translate + 1) - translate;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int sx = x - dx;
          int sy = y - dy;
          scratch[y * n + x] = sx >= 0 && sx < n && sy >= 0 && sy < n ? image[sy * n + sx] : 0;
        }
      }
      System.arraycopy(scratch, 0, image, 0, n * n);
    }
    if (cutout > 0) {
      int cx = random.nextInt(n);
      int cy = random.nextInt(n);
      for (int y = Math.max(0, cy - cutout / 2); y < Math.min(n, cy - cutout / 2 + cutout); y++) {
        for (int x = Math.max(0, cx - cutout / 2); x < Math.min(n, cx - cutout / 2 + cutout); x++) {
          image[y * n + x] = 0;
        }
      }
    }
  }

  /** The image at a real-valued position, bilinear between the four nearest pixels (clamped at the edges). */
  private double bilinear(double[] image, double x, double y) {
    int n = side;
    double cx = Math.min(Math.max(x, 0), n - 1);
    double cy = Math.min(Math.max(y, 0), n - 1);
    int x0 = (int) Math.floor(cx);
    int y0 = (int) Math.floor(cy);
    int x1 = Math.min(x0 + 1, n - 1);
    int y1 = Math.min(y0 + 1, n - 1);
    double fx = cx - x0;
    double fy = cy - y0;
    return (1 - fy) * ((1 - fx) * image[y0 * n + x0] + fx * image[y0 * n + x1])
        + fy * ((1 - fx) * image[y1 * n + x0] + fx * image[y1 * n + x1]);
  }
}
