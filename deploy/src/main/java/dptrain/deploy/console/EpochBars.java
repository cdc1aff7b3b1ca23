package dptrain.deploy.console;

import dptrain.deploy.report.JsonLine;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch, as tqdm and PyTorch Lightning draw them: the epoch of how many,
 * samples done of the epoch's, elapsed time and ETA, samples/s, the latest training loss, the
 * last evaluation's test loss and accuracy, and the workers in the step. Each finished epoch's
 * bar stays as its line. Fed with the run's metrics.jsonl lines, from one thread.
 */
final class EpochBars implements AutoCloseable {
  private final PrintStream out;
  private ProgressBar bar;
  private long barEpoch = -1;
  private long epochs = -1;
  private long epochSamples = -1;
  private long done;
  private String evaluation = "";
  private double lastLoss = Double.NaN;
  private long lastWorkers = 1;

  EpochBars(PrintStream out) {
    this.out = out;
  }

  void add(JsonLine line) {
    switch (line.type()) {
      case "plan" -> {
        epochs = (long) line.number("epochs");
        epochSamples = (long) Math.min(line.number("train_rows"), line.number("steps_per_epoch") * line.number("global_batch"));
      }
      case "step" -> onStep(line);
      case "epoch" -> {
        evaluation = Double.isNaN(line.number("test_accuracy"))
            ? String.format(Locale.ROOT, " | test %.4f", line.number("test_loss"))
            : String.format(Locale.ROOT, " | test %.4f acc %.4f", line.number("test_loss"), line.number("test_accuracy"));
        if (bar != null) {
          bar.setExtraMessage(message(lastLoss, lastWorkers));
        }
      }
      case "summary", "rollback" -> closeBar();
      default -> { }
    }
  }

  private void onStep(JsonLine step) {
    long epoch = (long) step.number("epoch");
    if (epoch != barEpoch) {
      closeBar();
      barEpoch = epoch;
      done = 0;
      var builder = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + (epochs > 0 ? "/" + epochs : ""))
          .setInitialMax(Math.max(1, epochSamples)).setUnit(" samples", 1).showSpeed(new java.text.DecimalFormat("#,##0"))
          .setUpdateIntervalMillis(250).setStyle(ProgressBarStyle.ASCII);
      // On the terminal (stderr) the library's own consumer measures its width; elsewhere a fixed one.
      bar = (out == System.err ? builder : builder.setConsumer(new ConsoleProgressBarConsumer(out, 120))).build();
    }
    done += (long) step.number("samples");
    bar.stepTo(epochSamples > 0 ? Math.min(done, epochSamples) : done);
    lastLoss = step.number("train_loss");
    lastWorkers = (long) (step.has("workers") ? step.number("workers") : 1);
    bar.setExtraMessage(message(lastLoss, lastWorkers));
  }

  /** After the bar's own speed: the latest training loss, the last evaluation, the workers. */
  private String message(double loss, long workers) {
    return String.format(Locale.ROOT, " | loss %.4f%s | %d worker%s", loss, evaluation, workers, workers == 1 ? "" : "s");
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
