package dptrain.coordinator.generation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.checkpoint.Checkpoint;
import dptrain.coordinator.checkpoint.Checkpointer;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.progress.RunProgress;
import dptrain.coordinator.round.EvaluationRound;
import dptrain.coordinator.round.ParameterCollection;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The work a {@link Generation} does while training is paused, on the generation's own thread:
 * the evaluation rounds (validation, then test) with the round under way restarted when a worker
 * leaves, the epoch line, and the children that collect parameters and write checkpoints. It
 * spawns children of the generation; their outcomes come back to the generation as messages.
 */
final class PauseWork {
  /** A period's evaluation: the validation result (when there is a validation set) and the test result. */
  record PeriodResult(Optional<EvaluationRound.Result> validation, EvaluationRound.Result test) {
    double validationLoss() {
      return validation.map(EvaluationRound.Result::meanLoss).orElse(Double.NaN);
    }

    /** What a plateau schedule watches: the validation loss, else the test loss. */
    double scheduleLoss() {
      return validation.isPresent() ? validationLoss() : test.meanLoss();
    }
  }

  private final ActorContext<Generation.Command> context;
  private final GenerationSetup setup;
  private final ActorRef<EvaluationRound.Outcome> evaluations;
  private final ActorRef<Checkpointer.Outcome> checkpoints;
  private final ActorRef<ParameterCollection.Outcome> collections;
  private ActorRef<?> round;
  private boolean validating;
  private long version;
  private long step;
  private int rounds;
  private EvaluationRound.Result validated;

  PauseWork(ActorContext<Generation.Command> context, GenerationSetup setup, ActorRef<EvaluationRound.Outcome> evaluations,
      ActorRef<Checkpointer.Outcome> checkpoints, ActorRef<ParameterCollection.Outcome> collections) {
    this.context = context;
    this.setup = setup;
    this.evaluations = evaluations;
    this.checkpoints = checkpoints;
    this.collections = collections;
  }

  /** Evaluates the parameters of {@code parameterVersion}, paused after step {@code completed} - 1. */
  void startEvaluation(List<ActorRef<WorkerProtocol.Command>> workers, long parameterVersion, long completed) {
    version = parameterVersion;
    step = completed;
    validated = null;
    startRound(workers, setup.rows().validation() > 0);
  }

  private void startRound(List<ActorRef<WorkerProtocol.Command>> workers, boolean validation) {
    validating = validation;
    if (setup.settings().consistency().asynchronous()) {
      // Each worker holds the pieces it pulled; at a pause every shard sends everyone its newest.
      setup.shards().forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(workers, true)));
    }
    var rows = setup.rows();
    // In sync modes a shard asked about the version it holds, with no step open, publishes its values again.
    List<ActorRef<ShardProtocol.Command>> republish = setup.settings().consistency().asynchronous() ? List.of()
        : setup.shards().stream().map(s -> s.shard()).toList();
    round = context.spawn(EvaluationRound.create(workers, version, validation ? rows.validation() : rows.test(), validation,
        setup.settings().stepTimeout(), setup.settings().retryAfter(), republish, evaluations),
        (validation ? "validation-" : "evaluation-") + step + "-" + rounds++);
  }

  /** A round's result: after the validation round the test round starts (empty), after the test round the period's result. */
  Optional<PeriodResult> evaluated(EvaluationRound.Result result, List<ActorRef<WorkerProtocol.Command>> workers) {
    if (result.validation()) {
      validated = result;
      startRound(workers, false);
      return Optional.empty();
    }
    round = null;
    return Optional.of(new PeriodResult(Optional.ofNullable(validated), result));
  }

  /** A worker left: the round under way (if any) starts again with the others. */
  void restartEvaluationWithout(List<ActorRef<WorkerProtocol.Command>> workers) {
    if (round != null) {
      context.stop(round);
      startRound(workers, validating);
    }
  }

  /** The epoch line in the log and in metrics.jsonl, after the period's evaluation. */
  void reportEpoch(PeriodResult result, RunProgress progress, TrainingClock clock) {
    var schedule = setup.schedule();
    long completed = progress.completed();
    long epoch = schedule.epochOf(completed - 1) + 1;
    var test = result.test();
    var validation = result.validation();
    context.getLog().info(String.format(Locale.ROOT,
        "epoch %d/%d step %d train_loss=%.4f%s test_loss=%.4f test_accuracy=%.4f samples_per_s=%.0f",
        epoch, schedule.epochs(), completed, progress.lastTrainLoss(), validation.map(v -> String.format(Locale.ROOT,
            " validation_loss=%.4f validation_accuracy=%.4f", v.meanLoss(), v.accuracy())).orElse(""),
        test.meanLoss(), test.accuracy(), clock.samplesPerSecond()));
    setup.record(new MetricsLog.EpochRecord(epoch, completed, progress.lastTrainLoss(), test.meanLoss(), test.accuracy(),
        clock.samplesPerSecond(), clock.elapsedSeconds(), result.validationLoss(),
        validation.map(EvaluationRound.Result::accuracy).orElse(Double.NaN), progress.samplesIn(schedule.epochOf(completed - 1))));
  }

  /** Early stopping ends training after the last completed step: the log line and the stop record. */
  void reportStop(RunProgress progress, double validationLoss) {
    var stopping = progress.stopping();
    String reason = stopping.stopReason(validationLoss);
    context.getLog().info("early stopping after step {}: {}; best validation loss {} after step {}", progress.completed(),
        reason, String.format(Locale.ROOT, "%.4f", stopping.bestLoss()), stopping.bestStep());
    setup.record(new MetricsLog.StopRecord(progress.completed(), stopping.bestStep(), stopping.bestLoss(), validationLoss,
        reason));
  }

  /** Asks every shard for its parameters; the outcome comes back as a collection outcome. */
  void collectParameters(String name) {
    var settings = setup.settings();
    context.spawn(ParameterCollection.create(new ParameterCollection.Request(setup.shards(), setup.parameterCount(),
        settings.optimization().precision(), settings.stepTimeout()).withRetry(settings.retryAfter()), collections), name);
  }

  /** A checkpoint after step {@code progress.completed()} - 1, written by a child off this thread. */
  void checkpoint(RunProgress progress, double[] lrState) {
    var settings = setup.settings();
    long after = progress.completed();
    var request = new ParameterCollection.Request(setup.shards(), setup.parameterCount(), settings.optimization().precision(),
        setup.optimizerSlots(), settings.stepTimeout()).withRetry(settings.retryAfter());
    var schedule = setup.schedule();
    var kept = progress.checkpointed(schedule.epochOf(after), lrState.clone());
    String jobId = settings.jobId();
    String config = settings.checkpointing().config();
    long seed = settings.seed();
    int shards = setup.shards().size();
    int pieces = setup.pieceElements();
    context.spawn(Checkpointer.create(request, after, c -> new Checkpoint(jobId, config, after, schedule.epochOf(after),
        schedule.stepInEpoch(after), seed, c.parameters(), c.state(), c.counters(), shards, pieces, kept), setup.runFolder(),
        checkpoints), "checkpoint-" + after);
  }

  /**
   * A checkpoint written or refused by the disk, logged and recorded. A refused one leaves the
   * folder's checkpoints as they were: training goes on, and a roll-back would go to the newest kept.
   */
  void checkpointEnded(Checkpointer.Outcome outcome) {
    if (outcome instanceof Checkpointer.Written written) {
      context.getLog().info("checkpoint after step {}: {}", written.step(), written.file());
      setup.event("checkpoint", "step", written.step(), "file", written.file().getFileName().toString());
    } else if (outcome instanceof Checkpointer.NotSaved refused) {
      String kept = refused.kept() == null ? "none" : refused.kept().getFileName().toString();
      context.getLog().warn("checkpoint after step {} not saved ({}); training goes on, the newest good checkpoint is still {}",
          refused.step(), refused.reason(), kept);
      setup.event("checkpoint_not_saved", "step", refused.step(), "reason", refused.reason(), "kept", kept);
    }
  }

  /** Algorithm 7.1's result: the best parameters, their step i* and their test scores. */
  TrainingOutcome.Finished bestOutcome(RunProgress progress, double samplesPerSecond) {
    var best = progress.best().orElseThrow();
    var stopping = progress.stopping();
    context.getLog().info(String.format(Locale.ROOT,
        "keeping the best parameters, after step %d: validation_loss=%.4f test_loss=%.4f test_accuracy=%.4f",
        stopping.bestStep(), stopping.bestLoss(), best.testLoss(), best.testAccuracy()));
    return new TrainingOutcome.Finished(best.parameters(), progress.completed(), best.trainLoss(), best.testLoss(),
        best.testAccuracy(), samplesPerSecond, 0, progress.skippedSteps(), stopping.bestStep(), stopping.bestLoss());
  }
}
