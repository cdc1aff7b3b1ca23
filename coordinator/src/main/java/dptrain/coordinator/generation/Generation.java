package dptrain.coordinator.generation;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.batchnorm.BatchNormMeeting;
import dptrain.coordinator.checkpoint.Checkpointer;
import dptrain.coordinator.lr.LrSchedule;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.progress.RunProgress;
import dptrain.coordinator.progress.RunTotals;
import dptrain.coordinator.round.EvaluationRound;
import dptrain.coordinator.round.ParameterCollection;
import dptrain.coordinator.step.LoopSettings;
import dptrain.coordinator.step.PauseRule;
import dptrain.coordinator.step.StepLoop;
import dptrain.coordinator.step.StepLoopReport;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import java.util.List;

/**
 * One generation of training, from its first step (0, or a checkpoint's) to the end of the job:
 * it runs the {@link StepLoop} and the batch-norm meeting point as children, books every step
 * into the run's {@link RunProgress}, and at every pause evaluates (validation, then test), lets
 * early stopping judge, keeps the best parameters and writes checkpoints; then it asks the
 * Coordinator which workers go on. A roll-back stops it whole and starts a new generation.
 */
public final class Generation {
  public sealed interface Command {}

  /** A report from the cluster (StepDone, ChunkRefused, BatchMoments, ...), for the step loop or batch norm. */
  public record FromCluster(CoordinatorProtocol.Command message) implements Command {}

  /** {@code worker} {@code how} (left the cluster, became unreachable); {@code live} go on. */
  public record WorkerLost(ActorRef<WorkerProtocol.Command> worker, List<ActorRef<WorkerProtocol.Command>> live, String how)
      implements Command {}

  /** The answer to {@link GenerationReport.PauseOver}: train on with these workers. */
  public record Resume(List<ActorRef<WorkerProtocol.Command>> workers) implements Command {}

  /** A shard is lost: every shard goes back to step {@code toStep} as generation {@code next}; this one ends. */
  public record Abandon(String reason, long toStep, String toWhat, int next) implements Command {}

  // The children's reports, adapted.
  private record LoopReported(StepLoopReport report) implements Command {}
  private record EvaluationEnded(EvaluationRound.Outcome outcome) implements Command {}
  private record CheckpointEnded(Checkpointer.Outcome outcome) implements Command {}
  private record ParametersCollected(ParameterCollection.Outcome outcome) implements Command {}

  private final ActorContext<Command> context;
  private final GenerationSetup setup;
  private final ActorRef<StepLoop.Command> loop;
  private final ActorRef<BatchMoments> batchNorm;
  private final LrSchedule rates;
  private final PauseRule pauses;
  private final CheckpointPolicy checkpoints;
  private final TrainingClock clock = new TrainingClock();
  private final PauseWork pause;
  private RunProgress progress;
  private RunTotals totals;
  private List<ActorRef<WorkerProtocol.Command>> workers;

  public static Behavior<Command> create(GenerationSetup setup) {
    return Behaviors.setup(context -> new Generation(context, setup).start());
  }

  private Generation(ActorContext<Command> context, GenerationSetup setup) {
    this.context = context;
    this.setup = setup;
    this.workers = List.copyOf(setup.workers());
    this.totals = setup.totals();
    var loopSettings = LoopSettings.of(setup.settings(), setup.rows().train());
    this.pauses = new PauseRule(setup.schedule(), setup.settings().checkpointing(), setup.runFolder() != null);
    this.checkpoints = new CheckpointPolicy(pauses);
    var loopSetup = new StepLoop.Setup(loopSettings, setup.schedule(), pauses, setup.rows().train(), setup.shards(), workers,
        setup.firstStep(), context.messageAdapter(StepLoopReport.class, LoopReported::new));
    this.rates = loopSettings.newRates(setup.schedule());
    this.progress = setup.startingProgress();
    setup.resumeFrom().ifPresent(checkpoint -> rates.restore(checkpoint.progress().lrState()));
    this.loop = context.spawn(StepLoop.create(loopSetup), "step-loop");
    this.batchNorm = context.spawn(BatchNormMeeting.create(), "batch-norm");
    this.pause = new PauseWork(context, setup, context.messageAdapter(EvaluationRound.Outcome.class, EvaluationEnded::new),
        context.messageAdapter(Checkpointer.Outcome.class, CheckpointEnded::new),
        context.messageAdapter(ParameterCollection.Outcome.class, ParametersCollected::new));
  }

  private Behavior<Command> start() {
    setup.announce(context.getLog());
    setup.shards().forEach(shard -> shard.shard().tell(new ShardProtocol.StartShard(workers, setup.firstStep())));
    return runPeriod();
  }

  private Behavior<Command> runPeriod() {
    clock.resume();
    loop.tell(new StepLoop.RunPeriod(workers, rates.state()));
    return training();
  }

  /** What every phase handles: reports on their way to the children, losses, the loop's bookings, an abandonment. */
  private BehaviorBuilder<Command> always() {
    return Behaviors.receive(Command.class)
        .onMessage(FromCluster.class, this::onFromCluster)
        .onMessage(WorkerLost.class, this::onWorkerLost)
        .onMessage(LoopReported.class, this::onLoopReported)
        .onMessage(Abandon.class, this::onAbandon);
  }

  private Behavior<Command> training() {
    return always().onMessage(EvaluationEnded.class, this::onEvaluationEnded).build();
  }

  private Behavior<Command> checkpointing(EvaluationRound.Result finalTest) {
    return always().onMessage(CheckpointEnded.class, ended -> onCheckpointEnded(ended, finalTest)).build();
  }

  private Behavior<Command> collecting(java.util.function.Function<ParametersCollected, Behavior<Command>> then) {
    return always().onMessage(ParametersCollected.class, then::apply).build();
  }

  private Behavior<Command> waitingToResume() {
    return always().onMessage(Resume.class, this::onResume).build();
  }

  private Behavior<Command> onFromCluster(FromCluster from) {
    var message = from.message();
    if (message instanceof BatchMoments moments) {
      batchNorm.tell(moments);
    } else {
      ClusterReports.toStepLoop(message).ifPresent(loop::tell);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onLoopReported(LoopReported reported) {
    var report = reported.report();
    if (report instanceof StepLoopReport.StepCompleted step) {
      return onStepCompleted(step);
    }
    if (report instanceof StepLoopReport.Paused paused) {
      return onPaused(paused);
    }
    if (report instanceof StepLoopReport.LoopFailed failed) {
      return fail(failed.reason());
    }
    setup.note((StepLoopReport.Resent) report);
    return Behaviors.same();
  }

  private Behavior<Command> onStepCompleted(StepLoopReport.StepCompleted step) {
    long epoch = setup.schedule().epochOf(step.step());
    progress = progress.afterStep(epoch, step.samples(), step.lossSum(), step.skipped());
    totals = totals.afterStep(step.dropped(), step.staleness(), step.bytes(), step.maxLead(), step.times());
    clock.addSamples(step.samples());
    setup.tallied(context.getLog(), step.step(), step.workerTally(), step.straggler());
    if (step.skipped()) {
      context.getLog().warn("step {} skipped: its aggregated gradient holds NaN or Inf ({} skipped so far)", step.step(),
          progress.skippedSteps());
    }
    setup.record(new MetricsLog.StepRecord(step.step(), epoch, progress.lastTrainLoss(), step.samples(), step.lr(),
        step.skipped(), clock.elapsedSeconds(), step.dropped(), step.staleness(), step.bytes(), workers.size(), step.rows()));
    return Behaviors.same();
  }

  private Behavior<Command> onPaused(StepLoopReport.Paused paused) {
    clock.pause();
    rates.restore(paused.lrState());
    if (paused.reason() == StepLoopReport.PauseFor.CHECKPOINT) {
      return checkpoint(null);
    }
    pause.startEvaluation(workers, paused.version(), progress.completed());
    return Behaviors.same();
  }

  private Behavior<Command> onEvaluationEnded(EvaluationEnded ended) {
    if (ended.outcome() instanceof EvaluationRound.Failed failed) {
      return fail(failed.reason());
    }
    var result = ((EvaluationRound.Succeeded) ended.outcome()).result();
    return pause.evaluated(result, workers).map(this::onPeriodEvaluated).orElse(Behaviors.same());
  }

  /** The period's test result (after its validation result, if any): the epoch line, the lr schedule, early stopping. */
  private Behavior<Command> onPeriodEvaluated(PauseWork.PeriodResult result) {
    var evaluated = progress.afterEvaluation(result.validationLoss());
    progress = evaluated.progress();
    rates.observeValidationLoss(progress.completed(), result.scheduleLoss());
    pause.reportEpoch(result, progress, clock);
    return switch (evaluated.verdict()) {
      case IMPROVED -> snapshot(result.test());
      case GO_ON -> goOnOrCollect(result.test());
      case STOP -> stopEarly(result.test(), result.validationLoss());
    };
  }

  /** A checkpoint if one is due, then the next period or, after the last step, the end. */
  private Behavior<Command> goOnOrCollect(EvaluationRound.Result test) {
    boolean lastStep = progress.completed() >= setup.schedule().totalSteps();
    if (checkpoints.dueAfterEvaluation(progress.completed() - 1, lastStep)) {
      return checkpoint(lastStep ? test : null);
    }
    return lastStep ? finish(test) : pauseOver();
  }

  private Behavior<Command> pauseOver() {
    setup.replyTo().tell(new GenerationReport.PauseOver(progress.completed(), totals));
    return waitingToResume();
  }

  private Behavior<Command> onResume(Resume resume) {
    workers = List.copyOf(resume.workers());
    return runPeriod();
  }

  /** Writes a checkpoint after the last completed step (paused there), then goes on; to the end with {@code finalTest}. */
  private Behavior<Command> checkpoint(EvaluationRound.Result finalTest) {
    pause.checkpoint(progress, rates.state());
    return checkpointing(finalTest);
  }

  private Behavior<Command> onCheckpointEnded(CheckpointEnded ended, EvaluationRound.Result finalTest) {
    if (ended.outcome() instanceof Checkpointer.NotWritten failed) {
      return fail("checkpoint after step " + failed.step() + ": " + failed.reason());
    }
    pause.checkpointEnded(ended.outcome());
    checkpoints.written(); // a file the disk refused counts too: the next try is the policy's next turn, not the next step
    return finalTest != null ? finish(finalTest) : pauseOver();
  }

  /** A new best validation loss: keep a copy of these parameters before going on (algorithm 7.1). */
  private Behavior<Command> snapshot(EvaluationRound.Result test) {
    pause.collectParameters("snapshot-" + progress.completed());
    return collecting(c -> onSnapshot(c, test));
  }

  private Behavior<Command> onSnapshot(ParametersCollected collected, EvaluationRound.Result test) {
    if (collected.outcome() instanceof ParameterCollection.NotCollected failed) {
      return fail(failed.reason());
    }
    var c = (ParameterCollection.Collected) collected.outcome();
    progress = progress.withBest(c.parameters(), test.meanLoss(), test.accuracy());
    return goOnOrCollect(test);
  }

  private Behavior<Command> stopEarly(EvaluationRound.Result test, double validationLoss) {
    pause.reportStop(progress, validationLoss);
    return finish(test);
  }

  /** Training is over: the best parameters under early stopping (7.1), else the shards' last ones. */
  private Behavior<Command> finish(EvaluationRound.Result test) {
    if (progress.best().isPresent()) {
      return end(pause.bestOutcome(progress, clock.samplesPerSecond()));
    }
    pause.collectParameters("collect-parameters");
    return collecting(c -> onFinalParameters(c, test));
  }

  private Behavior<Command> onFinalParameters(ParametersCollected collected, EvaluationRound.Result test) {
    if (collected.outcome() instanceof ParameterCollection.NotCollected failed) {
      return fail(failed.reason());
    }
    var c = (ParameterCollection.Collected) collected.outcome();
    return end(new TrainingOutcome.Finished(c.parameters(), progress.completed(), progress.lastTrainLoss(),
        test.meanLoss(), test.accuracy(), clock.samplesPerSecond(), c.refusedChunks(), progress.skippedSteps(),
        progress.completed(), progress.lastValidationLoss()));
  }

  /** A worker is gone: the loop moves its micro-batches; an evaluation under way starts again without it. */
  private Behavior<Command> onWorkerLost(WorkerLost lost) {
    workers = List.copyOf(lost.live());
    setup.workerLeft(context.getLog(), lost.worker().path(), lost.how(), progress.completed(), workers.size());
    loop.tell(new StepLoop.WorkerLost(lost.worker(), workers));
    pause.restartEvaluationWithout(workers);
    return Behaviors.same();
  }

  private Behavior<Command> onAbandon(Abandon abandon) {
    context.getLog().warn("rolling every shard back to step {} ({}): {}", abandon.toStep(), abandon.toWhat(), abandon.reason());
    setup.event("rollback", "from_step", progress.completed(), "to_step", abandon.toStep(), "generation", abandon.next());
    return Behaviors.stopped();
  }

  private Behavior<Command> end(TrainingOutcome.Finished finished) {
    setup.replyTo().tell(new GenerationReport.Ended(finished, totals));
    return Behaviors.stopped();
  }

  private Behavior<Command> fail(String reason) {
    setup.replyTo().tell(new GenerationReport.Failed(reason));
    return Behaviors.stopped();
  }
}
