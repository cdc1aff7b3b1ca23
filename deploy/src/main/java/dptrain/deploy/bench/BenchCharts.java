package dptrain.deploy.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmarks' PNG charts, drawn with JFreeChart: lines of a measure against workers, and stacked step splits. */
public final class BenchCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private BenchCharts() {}

  /** One point of a line: x (e.g. workers) and y. */
  public record Point(double x, double y) {}

  /** A line chart, one line per entry of {@code lines} (in its order). */
  public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, List<Point>> lines) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    lines.forEach((name, points) -> {
      XYSeries series = new XYSeries(name, false);
      points.forEach(p -> series.add(p.x(), p.y()));
      data.addSeries(series);
    });
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    var renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    chart.getXYPlot().setRenderer(renderer);
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
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
    categories.setCategoryLabelPositions(org.jfree.chart.axis.CategoryLabelPositions.UP_45);
    categories.setMaximumCategoryLabelWidthRatio(2f);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }
}
