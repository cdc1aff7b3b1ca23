package dptrain.deploy.report;

import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dptrain report RUN_DIR}: a run folder's charts and report.html, again or for a run still going. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Draws a run folder's charts (charts/*.png: loss, accuracy, learning rate, samples/s, gradient bytes, "
        + "staleness, step split) and writes its self-contained report.html, from its metrics.jsonl and config.conf. "
        + "'train' does this at the end of every run; use this for a run that is still going or was stopped.",
        "", "Example: dptrain report runs/20261201-120000-000"})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RUN_DIR", description = "the run folder (it holds metrics.jsonl)")
  Path runDir;

  @Override
  public Integer call() {
    if (!Files.isDirectory(runDir)) {
      throw new UsageException(runDir + " is not a folder");
    }
    try {
      Path page = RunReport.write(runDir);
      System.out.println("report: " + page);
      System.out.println("charts: " + runDir.resolve("charts"));
      return 0;
    } catch (IOException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
