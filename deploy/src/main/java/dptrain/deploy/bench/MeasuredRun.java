package dptrain.deploy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One finished benchmark job and where its mean step went, from the run's own summary (the
 * times are measured in the code path, not estimated): the slowest micro-batch's compute and
 * encode, the slowest shard's decode and apply, and the rest of the step, which is transfer,
 * hand-offs between threads and waiting.
 */
public record MeasuredRun(double samplesPerSecond, double testAccuracy, long steps, double stepMs, double computeMs,
    double encodeMs, double decodeMs, double applyMs, double gradientBytesPerStep) {

  /** The parts of a step in the order the charts stack them. */
  public static final String[] PARTS = {"compute", "encode", "decode", "apply", "transfer+wait"};

  /** Whether the run measured its step split: the synchronous modes do; async and ssp have no step to split. */
  boolean splitMeasured() {
    return computeMs > 0;
  }

  public double otherMs() {
    return Math.max(0, stepMs - computeMs - encodeMs - decodeMs - applyMs);
  }

  public double[] parts() {
    return new double[] {computeMs, encodeMs, decodeMs, applyMs, otherMs()};
  }

  /** Trains the job of {@code keys} (as in reference.conf, with its run-dir); null after printing why it failed. */
  public static MeasuredRun train(String what, Map<String, Object> keys, int globalBatch) throws IOException {
    var finished = BenchRuns.train(what, keys);
    if (finished == null) {
      return null;
    }
    return of(finished, RunSummary.of(Path.of((String) keys.get("run-dir"))), globalBatch);
  }

  /** A finished run of {@code globalBatch} rows a step, with the means of its summary. */
  static MeasuredRun of(dptrain.coordinator.TrainingOutcome.Finished finished, RunSummary summary, int globalBatch) {
    double stepMs = 1000.0 * globalBatch / finished.samplesPerSecond();
    return new MeasuredRun(finished.samplesPerSecond(), finished.testAccuracy(), finished.steps(), stepMs,
        summary.number("compute_ms"), summary.number("encode_ms"), summary.number("decode_ms"), summary.number("apply_ms"),
        summary.number("gradient_bytes_per_step"));
  }
}
