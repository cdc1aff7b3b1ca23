package dptrain.deploy.dashboard;

import dptrain.deploy.report.JsonLine;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The run's metrics for Prometheus, with the official Java client and its conventional names and
 * units, fed from the same metrics.jsonl lines as the dashboard. Labelled by job; the losses also by
 * split (train, test, validation). Served as text at /metrics.
 */
final class TrainingMetrics {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final String job;
  private final Counter samples;
  private final Histogram stepSeconds;
  private final Gauge loss;
  private final Gauge accuracy;
  private final Gauge staleness;
  private final Counter gradientBytes;
  private final Counter refused;
  private final Gauge workers;
  private final Counter steps;
  private final Counter microBatches;
  private final Counter computeSeconds;
  private final Counter waitedOnSeconds;
  private final Counter droppedMicroBatches;
  /** Each worker node's totals at its last tally: a tally adds what it counts beyond them. */
  private final java.util.Map<String, WorkerActivity.Totals> counted = new java.util.HashMap<>();
  private double lastElapsed = Double.NaN;
  private double lastEpoch = Double.NaN;

  TrainingMetrics(String job) {
    this.job = job;
    samples = Counter.builder().name("dptrain_samples_total").help("Training samples applied").labelNames("job")
        .register(registry);
    steps = Counter.builder().name("dptrain_steps_total").help("Steps applied (updates, in the asynchronous modes)")
        .labelNames("job").register(registry);
    stepSeconds = Histogram.builder().name("dptrain_step_seconds").help("Time from one step to the next within an epoch")
        .unit(Unit.SECONDS).labelNames("job").classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10).register(registry);
    loss = Gauge.builder().name("dptrain_loss").help("The latest loss: train per step, test and validation per evaluation")
        .labelNames("job", "split").register(registry);
    accuracy = Gauge.builder().name("dptrain_accuracy").help("The latest evaluation's accuracy (classification)")
        .labelNames("job", "split").register(registry);
    staleness = Gauge.builder().name("dptrain_staleness_updates")
        .help("Updates the shards applied since the parameters of the latest gradient (asynchronous modes)")
        .labelNames("job").register(registry);
    gradientBytes = Counter.builder().name("dptrain_gradient_bytes_total").help("Gradient bytes the shards received")
        .unit(Unit.BYTES).labelNames("job").register(registry);
    refused = Counter.builder().name("dptrain_refused_messages_total")
        .help("Gradients and messages the shards refused (NaN/Inf, wrong shape, stale)").labelNames("job").register(registry);
    workers = Gauge.builder().name("dptrain_workers").help("Workers computing the latest step").labelNames("job")
        .register(registry);
    microBatches = Counter.builder().name("dptrain_micro_batches_total")
        .help("Micro-batches a worker node computed in completed steps (synchronous and backup modes)")
        .labelNames("job", "worker").register(registry);
    computeSeconds = Counter.builder().name("dptrain_worker_compute_seconds_total")
        .help("Time a worker node spent computing and encoding its counted micro-batches (synchronous and backup modes)")
        .unit(Unit.SECONDS).labelNames("job", "worker").register(registry);
    waitedOnSeconds = Counter.builder().name("dptrain_worker_waited_on_seconds_total")
        .help("Time synchronous steps waited on a worker node after every other node had delivered (a straggler's is large)")
        .unit(Unit.SECONDS).labelNames("job", "worker").register(registry);
    droppedMicroBatches = Counter.builder().name("dptrain_worker_dropped_micro_batches_total")
        .help("Micro-batches of a worker node that backup steps closed without (a straggler's are most of them)")
        .labelNames("job", "worker").register(registry);
    refused.labelValues(job).inc(0);
    samples.labelValues(job).inc(0);
  }

  synchronized void add(JsonLine line) {
    switch (line.type()) {
      case "step" -> onStep(line);
      case "epoch" -> {
        set(loss, "test", line.number("test_loss"));
        set(loss, "validation", line.number("validation_loss"));
        set(accuracy, "test", line.number("test_accuracy"));
        set(accuracy, "validation", line.number("validation_accuracy"));
      }
      case "refused" -> refused.labelValues(job).inc();
      case "worker_tally" -> onTally(line);
      default -> { }
    }
  }

  private void onStep(JsonLine step) {
    samples.labelValues(job).inc(Math.max(0, step.number("samples")));
    steps.labelValues(job).inc();
    double elapsed = step.number("elapsed_s");
    if (step.number("epoch") == lastEpoch && elapsed >= lastElapsed) {
      stepSeconds.labelValues(job).observe(elapsed - lastElapsed);
    }
    lastElapsed = elapsed;
    lastEpoch = step.number("epoch");
    set(loss, "train", step.number("train_loss"));
    if (step.has("staleness")) {
      staleness.labelValues(job).set(step.number("staleness"));
    }
    if (step.has("gradient_bytes")) {
      gradientBytes.labelValues(job).inc(step.number("gradient_bytes"));
    }
    if (step.has("workers")) {
      workers.labelValues(job).set(step.number("workers"));
    }
  }

  /** Running totals per node; a new generation counts from zero again, and its totals are added as they come. */
  private void onTally(JsonLine tally) {
    WorkerActivity.parse(tally).forEach((worker, now) -> {
      var before = counted.getOrDefault(worker, new WorkerActivity.Totals(0, 0, 0, 0));
      boolean restarted = now.microBatches() < before.microBatches();
      microBatches.labelValues(job, worker).inc(restarted ? now.microBatches() : now.microBatches() - before.microBatches());
      computeSeconds.labelValues(job, worker).inc(Math.max(0,
          restarted ? now.computeSeconds() : now.computeSeconds() - before.computeSeconds()));
      waitedOnSeconds.labelValues(job, worker).inc(Math.max(0,
          restarted ? now.waitedOnSeconds() : now.waitedOnSeconds() - before.waitedOnSeconds()));
      droppedMicroBatches.labelValues(job, worker).inc(Math.max(0, restarted ? now.dropped() : now.dropped() - before.dropped()));
      counted.put(worker, now);
    });
  }

  private void set(Gauge gauge, String split, double value) {
    if (!Double.isNaN(value)) {
      gauge.labelValues(job, split).set(value);
    }
  }

  /** Everything in Prometheus's text format (version 0.0.4). */
  synchronized String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
