package dptrain.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The scaling benchmark's table: one line per configuration on the console, and the same as CSV. */
final class ScalingTable {
  private static final String COLUMNS = "mode,nodes,lanes,workers,samples_per_s,speedup,efficiency,test_acc,"
      + "gradient_bytes_per_step,step_ms,compute_ms,encode_ms,decode_ms,apply_ms,transfer_wait_ms";

  private ScalingTable() {}

  static String header() {
    return String.format(Locale.ROOT, "%-6s %5s %5s %7s %13s %7s %10s %8s %12s %8s %8s %7s %7s %7s %9s", "mode", "nodes",
        "lanes", "workers", "samples_per_s", "speedup", "efficiency", "test_acc", "bytes/step", "step_ms", "compute",
        "encode", "decode", "apply", "xfer+wait");
  }

  /** The samples/s of one worker (1 node x 1 lane) in {@code mode}, else of the first row of that mode. */
  static double baseline(List<ScalingBench.Row> rows, String mode) {
    return rows.stream().filter(r -> r.mode().equals(mode) && r.workers() == 1).findFirst()
        .or(() -> rows.stream().filter(r -> r.mode().equals(mode)).findFirst())
        .map(r -> r.run().samplesPerSecond()).orElse(Double.NaN);
  }

  static String line(ScalingBench.Row row, double baseline) {
    var run = row.run();
    double speedup = run.samplesPerSecond() / baseline;
    String head = String.format(Locale.ROOT, "%-6s %5d %5d %7d %13.0f %7.2f %10.2f %8.4f %12.0f %8.3f", row.mode(),
        row.nodes(), row.lanes(), row.workers(), run.samplesPerSecond(), speedup, speedup / row.workers(), run.testAccuracy(),
        run.gradientBytesPerStep(), run.stepMs());
    return head + (run.splitMeasured()
        ? String.format(Locale.ROOT, " %8.3f %7.3f %7.3f %7.3f %9.3f", run.computeMs(), run.encodeMs(), run.decodeMs(),
            run.applyMs(), run.otherMs())
        : String.format(Locale.ROOT, " %8s %7s %7s %7s %9s", "-", "-", "-", "-", "-"));
  }

  static void writeCsv(Path file, List<ScalingBench.Row> rows) throws IOException {
    List<String> lines = new ArrayList<>(List.of(COLUMNS));
    for (var row : rows) {
      var run = row.run();
      double speedup = run.samplesPerSecond() / baseline(rows, row.mode());
      String split = run.splitMeasured() ? String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.4f", run.computeMs(),
          run.encodeMs(), run.decodeMs(), run.applyMs(), run.otherMs()) : ",,,,";
      lines.add(String.format(Locale.ROOT, "%s,%d,%d,%d,%.1f,%.4f,%.4f,%.4f,%.0f,%.4f,%s", row.mode(), row.nodes(),
          row.lanes(), row.workers(), run.samplesPerSecond(), speedup, speedup / row.workers(), run.testAccuracy(),
          run.gradientBytesPerStep(), run.stepMs(), split));
    }
    Files.write(file, lines);
  }
}
