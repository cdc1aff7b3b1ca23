package dptrain.coordinator.generation;

import akka.actor.typed.ActorRef;
import dptrain.coordinator.checkpoint.Checkpoint;
import dptrain.coordinator.checkpoint.RunFolder;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.plan.Schedule;
import dptrain.coordinator.progress.RunProgress;
import dptrain.coordinator.progress.RunTotals;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.List;
import java.util.Optional;

/**
 * What one generation trains: the job, its schedule over the rows the workers see, the placed
 * shards (and the vector's size, the optimizer's state slots and the chunk size they use), the
 * workers, the checkpoint it starts from, and where its records go.
 *
 * @param runFolder the run folder's checkpoints, or null without a run folder
 * @param metrics the run's metrics log, or null without a run folder
 * @param totals the run's totals before this generation
 */
public record GenerationSetup(JobSettings settings, Schedule schedule, DataRows rows, List<ShardAddress> shards,
    int parameterCount, int optimizerSlots, int pieceElements, List<ActorRef<WorkerProtocol.Command>> workers,
    Optional<Checkpoint> resumeFrom, RunFolder runFolder, ActorRef<MetricsLog.Record> metrics, RunTotals totals,
    ActorRef<GenerationReport> replyTo) {

  public long firstStep() {
    return resumeFrom.map(Checkpoint::step).orElse(0L);
  }

  RunProgress startingProgress() {
    return resumeFrom.map(c -> RunProgress.resumed(settings.earlyStopping(), schedule.epochs(), c.step(), c.progress()))
        .orElseGet(() -> RunProgress.start(settings.earlyStopping(), schedule.epochs()));
  }

  /** The log lines (and the resume event) at the start of training. */
  void announce(org.slf4j.Logger log) {
    resumeFrom.ifPresent(checkpoint -> {
      log.info("job {}: resuming after step {} (epoch {}, step {} of it)", settings.jobId(), checkpoint.step(),
          checkpoint.epoch() + 1, checkpoint.stepInEpoch());
      event("resume", "step", checkpoint.step(), "epoch", checkpoint.epoch());
    });
    // Once for the job (each worker says its rows at debug level only: the same line per worker is noise).
    log.info("job {}: {} training and {} test rows{}, model {}; training {} step(s), {} per epoch, global batch {}",
        settings.jobId(), rows.train(), rows.test(), rows.validation() > 0 ? " (and " + rows.validation() + " validation)" : "",
        settings.model().widthsText(), schedule.totalSteps(), schedule.stepsPerEpoch(), settings.effectiveBatch(rows.train()));
    // For whoever follows the run (progress bars, dashboards): how long it is, from where.
    event("plan", "steps", schedule.totalSteps(), "steps_per_epoch", schedule.stepsPerEpoch(), "epochs", schedule.epochs(),
        "global_batch", settings.effectiveBatch(rows.train()), "train_rows", rows.train(),
        "first_step", resumeFrom.map(c -> c.step()).orElse(0L));
  }

  /** A re-sent step, as a line of metrics.jsonl. */
  void note(dptrain.coordinator.step.StepLoopReport.Resent resent) {
    event("resent", "step", resent.step(), "micro_batches", resent.count());
  }

  /**
   * Each worker node's micro-batches, compute seconds and seconds waited on so far, when the step
   * loop offers them (for the dashboard and /metrics): lists of {@code node=value}, in the tally's
   * node order; and a straggler, when the loop names one after {@code step}: a warning and a line.
   */
  void tallied(org.slf4j.Logger log, long step, java.util.Map<String, dptrain.coordinator.step.WorkerWork> work,
      dptrain.coordinator.step.StragglerWatch.Straggler straggler) {
    if (!work.isEmpty()) {
      java.util.List<Object> fields = new java.util.ArrayList<>(java.util.List.of("micro_batches",
          pairs(work, w -> Long.toString(w.microBatches())), "compute_s", pairs(work, w -> Double.toString(w.nanos() / 1e9)),
          "waited_on_s", pairs(work, w -> Double.toString(w.waitedOnNanos() / 1e9))));
      if (work.values().stream().anyMatch(w -> w.dropped() > 0)) {
        fields.addAll(java.util.List.of("dropped", pairs(work, w -> Long.toString(w.dropped()))));
      }
      event("worker_tally", fields.toArray());
    }
    if (straggler != null && straggler.dropped()) {
      log.warn("backup steps keep closing without worker node {}: of the last {} steps, {} closed without its micro-batch "
          + "(after step {})", straggler.node(), straggler.of(), straggler.lastIn(), step);
      event("straggler", "step", step, "node", straggler.node(), "cause", "dropped", "dropped_in", straggler.lastIn(), "of",
          straggler.of());
    } else if (straggler != null) {
      log.warn(String.format(java.util.Locale.ROOT, "steps are waiting on worker node %s: of the last %d steps it came last in "
          + "%d and caused %.0f%% of their waiting, %.1f ms per step (after step %d)", straggler.node(), straggler.of(),
          straggler.lastIn(), 100 * straggler.share(), straggler.millisPerStep(), step));
      event("straggler", "step", step, "node", straggler.node(), "last_in", straggler.lastIn(), "of", straggler.of(),
          "share", straggler.share(), "ms_per_step", straggler.millisPerStep());
    }
  }

  private static String pairs(java.util.Map<String, dptrain.coordinator.step.WorkerWork> work,
      java.util.function.Function<dptrain.coordinator.step.WorkerWork, String> value) {
    return String.join(" ", work.entrySet().stream().map(e -> e.getKey() + "=" + value.apply(e.getValue())).toList());
  }

  /** A worker left (or became unreachable) after step {@code step}: the log line and the metrics event. */
  void workerLeft(org.slf4j.Logger log, akka.actor.ActorPath worker, String how, long step, int left) {
    log.warn("worker {} {} after step {}; {} worker(s) left", worker, how, step, left);
    event("worker_left", "step", step, "worker", worker.toString(), "workers", left);
  }

  /** A record for metrics.jsonl, when there is a run folder. */
  void record(MetricsLog.Record record) {
    if (metrics != null) {
      metrics.tell(record);
    }
  }

  /** A line about the run's life in metrics.jsonl. */
  void event(String type, Object... namesAndValues) {
    record(MetricsLog.EventRecord.of(type, namesAndValues));
  }
}
