package dptrain.deploy.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Every PNG chart dptrain draws, with JFreeChart: lines of a measure against workers, steps or
 * epochs, and stacked bars of a step's split. Headless.
 */
public final class Charts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private Charts() {}

  /** One point of a line: x (e.g. workers) and y. */
  public record Point(double x, double y) {}

  /** How a line chart is drawn: a marker at each point (few points), and a log-scaled y axis. */
  public record Style(boolean markers, boolean logY) {
    public static final Style FEW_POINTS = new Style(true, false);
    public static final Style MANY_POINTS = new Style(false, false);
  }

  /** A line chart with a marker at every point, one line per entry of {@code lines} (in its order). */
  public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, List<Point>> lines) throws IOException {
    lines(png, title, xLabel, yLabel, lines, Style.FEW_POINTS);
  }

  /**
   * A line chart, one line per entry of {@code lines} (in its order). Points that are not finite
   * (or not positive on a log axis) are left out.
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, List<Point>> lines, Style style)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    lines.forEach((name, points) -> {
      XYSeries series = new XYSeries(name, false);
      points.stream().filter(p -> Double.isFinite(p.y()) && (!style.logY() || p.y() > 0)).forEach(p -> series.add(p.x(), p.y()));
      data.addSeries(series);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    var renderer = new XYLineAndShapeRenderer(true, style.markers());
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(style.markers() ? 2f : 1.4f));
    }
    var plot = chart.getXYPlot();
    plot.setRenderer(renderer);
    if (style.logY()) {
      var axis = new LogarithmicAxis(yLabel);
      axis.setAllowNegativesFlag(false);
      axis.setStrictValuesFlag(false);
      plot.setRangeAxis(axis);
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    save(png, chart);
  }

  /** Stacked bars: one bar per category (in its order), {@code parts} its pieces bottom to top. */
  public static void stackedBars(Path png, String title, String yLabel, String[] parts, Map<String, double[]> bars)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    bars.forEach((category, values) -> {
      for (int i = 0; i < parts.length; i++) {
        data.addValue(values[i], parts[i], category);
      }
    });
    JFreeChart chart = ChartFactory.createStackedBarChart(title, "", yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    var categories = chart.getCategoryPlot().getDomainAxis();
    if (bars.size() > 4) {
      categories.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    }
    categories.setMaximumCategoryLabelWidthRatio(2f);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    save(png, chart);
  }

  private static void save(Path png, JFreeChart chart) throws IOException {
    Path absolute = png.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    ChartUtils.saveChartAsPNG(absolute.toFile(), chart, WIDTH, HEIGHT);
  }
}
