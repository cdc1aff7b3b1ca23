package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dptrain.coordinator.checkpoint.Checkpoint;
import dptrain.coordinator.checkpoint.RunFolder;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.protocol.CoordinatorProtocol;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a job's records go, for the Coordinator: the metrics log (a child, once the shards are
 * placed) and the run folder's checkpoints and finished mark. Without a run folder there is
 * neither, and every call here does nothing.
 */
final class RunRecords {
  private final ActorContext<CoordinatorProtocol.Command> context;
  private final JobSettings settings;
  /** Null without a run folder. */
  private final RunFolder runFolder;
  /** A standby took this job over: its metrics go on in the same file. */
  private boolean takingOver;
  /** The step the takeover goes on from (0: the start). */
  private long takenOverAt;
  private long refusedMessages;
  private ActorRef<MetricsLog.Record> metrics;

  RunRecords(ActorContext<CoordinatorProtocol.Command> context, JobSettings settings) {
    this.context = context;
    this.settings = settings;
    this.runFolder = settings.runDir() == null ? null
        : new RunFolder(settings.runDir(), settings.jobId(), settings.checkpointing().keep());
  }

  /** The run folder, or null without one. */
  RunFolder folder() {
    return runFolder;
  }

  /**
   * Where the job starts. A standby taking it over ({@code takeover}) goes on from the newest
   * good checkpoint (a new generation of {@code resources}), its metrics in the same file; or,
   * when the run folder says the job already finished, it does not run: then the summary of that
   * run. A fresh job (not resumed) clears an earlier run's checkpoints.
   */
  Optional<String> prepare(boolean takeover, JobResources resources) throws IOException {
    if (runFolder == null) {
      return Optional.empty();
    }
    if (!takeover) {
      if (settings.checkpointing().resumeFrom() == null) {
        runFolder.clearEarlierRun();
      }
      return Optional.empty();
    }
    var finished = runFolder.finished();
    if (finished.isPresent()) {
      context.getLog().info("job {} already finished: {}", settings.jobId(), finished.get());
      return finished;
    }
    var checkpoint = newestGoodCheckpoint();
    resources.rollBackTo(checkpoint);
    takingOver = true;
    takenOverAt = checkpoint == null ? 0 : checkpoint.step();
    context.getLog().warn("taking over job {} {}", settings.jobId(), checkpoint == null
        ? "from the start (no checkpoint yet)" : "from the checkpoint after step " + checkpoint.step());
    return Optional.empty();
  }

  /** Starts the metrics log, appending when the job goes on from a checkpoint or a standby took it over. */
  void openMetrics(boolean resuming) {
    if (runFolder != null && metrics == null) {
      metrics = context.spawn(MetricsLog.create(settings.runDir(), resuming || takingOver), "metrics");
      if (takingOver) {
        event("takeover", "step", takenOverAt); // before the new generation's resume, which a roll-back writes too
      }
    }
  }

  /** The metrics log, or null (no run folder, or not opened yet). */
  ActorRef<MetricsLog.Record> metrics() {
    return metrics;
  }

  /** A refused chunk of the generation under way: counted, and a line in the metrics; returns it. */
  dptrain.protocol.CoordinatorProtocol.ChunkRefused refused(dptrain.protocol.CoordinatorProtocol.ChunkRefused refusal) {
    refusedMessages++;
    event("refused", "step", refusal.step(), "micro_batch", refusal.microBatch(), "shard", refusal.shard(), "sender",
        refusal.sender().path().toString(), "reason", refusal.reason());
    return refusal;
  }

  /** Chunks the shards refused so far (for the summary). */
  long refusedCount() {
    return refusedMessages;
  }

  /** A kept worker was lost while the next generation formed: the console line and the metrics event. */
  void lostWhileForming(ActorRef<?> worker, int left) {
    context.getLog().warn("worker {} was lost while the job was forming; {} worker(s) left", worker.path(), left);
    event("worker_left", "worker", worker.path().toString(), "workers", left);
  }

  /** A line about the run's life in metrics.jsonl. */
  void event(String type, Object... namesAndValues) {
    if (metrics != null) {
      metrics.tell(MetricsLog.EventRecord.of(type, namesAndValues));
    }
  }

  /**
   * A generation formed: which nodes compute and where each shard lives, for whoever follows the
   * run (the dashboard lists shards by node). Local actors are named by this node's address.
   */
  void formed(java.util.List<dptrain.protocol.job.ShardAddress> shards, java.util.List<? extends ActorRef<?>> workers) {
    StringBuilder placement = new StringBuilder();
    for (int i = 0; i < shards.size(); i++) {
      placement.append(i == 0 ? "" : " ").append(i).append('@').append(nodeOf(shards.get(i).shard()));
    }
    event("formed", "workers", workers.size(), "worker_nodes",
        String.join(" ", workers.stream().map(this::nodeOf).distinct().toList()), "shards", placement.toString());
  }

  private String nodeOf(ActorRef<?> ref) {
    var address = ref.path().address();
    return (address.hasGlobalScope() ? address : akka.cluster.typed.Cluster.get(context.getSystem()).selfMember().address())
        .toString();
  }

  /** The newest checkpoint that reads back intact, or null when there is none. */
  Checkpoint newestGoodCheckpoint() throws IOException {
    return runFolder == null ? null
        : runFolder.newestGood(damaged -> context.getLog().error("{}; trying the one before", damaged));
  }

  /** The job finished: the run folder is marked (for a standby that takes over later) and the summary line written. */
  void finished(TrainingOutcome.Finished finished, Object[] summary) {
    if (runFolder == null) {
      return;
    }
    try {
      runFolder.markFinished(String.format(Locale.ROOT, "steps=%d test_loss=%.6f test_accuracy=%.4f", finished.steps(),
          finished.testLoss(), finished.testAccuracy()));
    } catch (IOException e) {
      context.getLog().warn("cannot mark the run folder finished: {}", e.getMessage());
    }
    event("summary", summary);
  }

  /** The metrics log closed (or did not answer in time): the outcome may go out now. */
  private record MetricsClosed() implements CoordinatorProtocol.Internal {}

  /**
   * The job's last behaviour: the metrics log writes what it still holds and closes, and only
   * then does the outcome go out (whoever gets it may end the actor system, and a stopping parent
   * drops its children's unread mail).
   */
  Behavior<CoordinatorProtocol.Command> closeThenReport(TrainingOutcome outcome, ActorRef<TrainingOutcome> replyTo,
      TimerScheduler<CoordinatorProtocol.Command> timers) {
    if (metrics == null) {
      replyTo.tell(outcome);
      return Behaviors.stopped();
    }
    metrics.tell(new MetricsLog.Close(context.messageAdapter(MetricsLog.Closed.class, closed -> new MetricsClosed())));
    timers.startSingleTimer(new MetricsClosed(), settings.stepTimeout());
    return Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(MetricsClosed.class, closed -> {
          replyTo.tell(outcome);
          return Behaviors.stopped();
        })
        .onAnyMessage(other -> Behaviors.same())
        .build();
  }
}
