package dptrain.deploy.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws training-loss curves, one line per run, into a PNG: loss per step on a log scale
 * (linear when a loss is not positive), axes with ticks, and a legend. Plain Java2D, headless.
 */
public final class LossChart {
  /** One line of the chart. */
  public record Series(String label, double[] losses) {}

  private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
      new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
      new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 600;
  private static final int LEFT = 80;
  private static final int RIGHT = 330;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private LossChart() {}

  public static void write(Path file, String title, List<Series> series) throws IOException {
    System.setProperty("java.awt.headless", "true");
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    int steps = 1;
    for (Series s : series) {
      steps = Math.max(steps, s.losses().length);
      for (double loss : s.losses()) {
        if (Double.isFinite(loss)) {
          min = Math.min(min, loss);
          max = Math.max(max, loss);
        }
      }
    }
    if (!(min <= max)) {
      min = 0;
      max = 1;
    }
    boolean log = min > 0;
    double low = log ? Math.log10(min) : min;
    double high = log ? Math.log10(max) : max;
    if (high - low < 1e-12) {
      high = low + 1;
    }
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.drawString(title, LEFT, TOP - 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(LEFT, TOP, plotWidth, plotHeight);
    for (int i = 0; i <= 5; i++) {
      double value = low + (high - low) * i / 5;
      int y = TOP + plotHeight - (int) Math.round(plotHeight * i / 5.0);
      g.setColor(new Color(230, 230, 230));
      g.drawLine(LEFT + 1, y, LEFT + plotWidth - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.3g", log ? Math.pow(10, value) : value), 8, y + 4);
      int x = LEFT + (int) Math.round(plotWidth * i / 5.0);
      g.drawLine(x, TOP + plotHeight, x, TOP + plotHeight + 5);
      g.drawString(Long.toString(Math.round((steps - 1) * i / 5.0)), x - 10, TOP + plotHeight + 20);
    }
    g.drawString("step", LEFT + plotWidth / 2 - 12, HEIGHT - 15);
    g.drawString(log ? "training loss (log scale)" : "training loss", 8, TOP - 5);
    for (int s = 0; s < series.size(); s++) {
      Color color = COLORS[s % COLORS.length];
      // After ten lines the colours repeat, dashed.
      g.setStroke(s < COLORS.length ? new BasicStroke(1.6f)
          : new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      g.setColor(color);
      Path2D.Double line = new Path2D.Double();
      boolean drawing = false;
      double[] losses = series.get(s).losses();
      for (int k = 0; k < losses.length; k++) {
        if (!Double.isFinite(losses[k]) || (log && losses[k] <= 0)) {
          drawing = false;
          continue;
        }
        double v = log ? Math.log10(losses[k]) : losses[k];
        double x = LEFT + (steps == 1 ? 0 : plotWidth * (double) k / (steps - 1));
        double y = TOP + plotHeight - plotHeight * (v - low) / (high - low);
        if (drawing) {
          line.lineTo(x, y);
        } else {
          line.moveTo(x, y);
          drawing = true;
        }
      }
      g.draw(line);
      int legendY = TOP + 10 + 20 * s;
      g.drawLine(LEFT + plotWidth + 15, legendY - 4, LEFT + plotWidth + 33, legendY - 4);
      g.drawLine(LEFT + plotWidth + 15, legendY - 3, LEFT + plotWidth + 33, legendY - 3);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s).label(), LEFT + plotWidth + 40, legendY);
    }
    g.dispose();
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    if (!ImageIO.write(image, "png", absolute.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }
}
