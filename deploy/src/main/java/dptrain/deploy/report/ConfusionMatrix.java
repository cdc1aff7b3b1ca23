package dptrain.deploy.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Counts of (true class, predicted class) over a test set, with each class's precision, recall
 * and F1, a table of them and a heat-map PNG. Rows are the true classes, columns the predictions.
 */
public final class ConfusionMatrix {
  private final long[][] counts;

  public ConfusionMatrix(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a confusion matrix needs at least 2 classes, not " + classes);
    }
    this.counts = new long[classes][classes];
  }

  public int classes() {
    return counts.length;
  }

  public void add(int trueClass, int predicted) {
    counts[trueClass][predicted]++;
  }

  public long count(int trueClass, int predicted) {
    return counts[trueClass][predicted];
  }

  /** Of the rows predicted as {@code c}, the share that are {@code c}; NaN when none was predicted as c. */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) {
      predicted += row[c];
    }
    return predicted == 0 ? Double.NaN : (double) counts[c][c] / predicted;
  }

  /** Of the rows of class {@code c}, the share predicted as c; NaN when the test set has none. */
  public double recall(int c) {
    long actual = java.util.Arrays.stream(counts[c]).sum();
    return actual == 0 ? Double.NaN : (double) counts[c][c] / actual;
  }

  /** The harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** A Markdown table: one row per class (precision, recall, F1, support) and the macro means. */
  public String table() {
    StringBuilder out = new StringBuilder("| class | precision | recall | f1 | support |\n| --- | --- | --- | --- | --- |\n");
    double[] sums = new double[3];
    int defined = 0;
    for (int c = 0; c < classes(); c++) {
      double[] scores = {precision(c), recall(c), f1(c)};
      out.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %d |%n", c, score(scores[0]), score(scores[1]), score(scores[2]),
          java.util.Arrays.stream(counts[c]).sum()));
      if (!Double.isNaN(scores[2])) {
        defined++;
        for (int i = 0; i < 3; i++) {
          sums[i] += scores[i];
        }
      }
    }
    out.append(String.format(Locale.ROOT, "| macro mean | %s | %s | %s | %d |%n", score(sums[0] / defined), score(sums[1] / defined),
        score(sums[2] / defined), java.util.Arrays.stream(counts).flatMapToLong(java.util.Arrays::stream).sum()));
    return out.toString();
  }

  /** A heat map, darker for more rows, with each cell's count written in it. */
  public void drawPng(Path png, String title) throws IOException {
    System.setProperty("java.awt.headless", "true");
    int k = classes();
    double[][] cells = new double[3][k * k];
    long max = 1;
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        cells[0][t * k + p] = p;
        cells[1][t * k + p] = t;
        cells[2][t * k + p] = counts[t][p];
        max = Math.max(max, counts[t][p]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("rows", cells);
    LookupPaintScale scale = new LookupPaintScale(0, max + 1.0, Color.WHITE);
    for (int level = 0; level <= 20; level++) {
      float shade = 1f - 0.85f * level / 20f;
      scale.add(max * level / 20.0, new Color(shade * 0.9f + 0.1f * shade, shade, 1f - 0.3f * (1f - shade)));
    }
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(scale);
    NumberAxis predicted = integerAxis("predicted class", k);
    NumberAxis actual = integerAxis("true class", k);
    actual.setInverted(true);
    XYPlot plot = new XYPlot(data, predicted, actual, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, k > 12 ? 9 : 13);
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        var label = new XYTextAnnotation(Long.toString(counts[t][p]), p, t);
        label.setFont(font);
        label.setPaint(counts[t][p] > max / 2 ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(label);
      }
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    Path absolute = png.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    ChartUtils.saveChartAsPNG(absolute.toFile(), chart, 760, 720);
  }

  private static NumberAxis integerAxis(String label, int classes) {
    NumberAxis axis = new NumberAxis(label);
    axis.setRange(-0.5, classes - 0.5);
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    axis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    return axis;
  }

  private static String score(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }
}
