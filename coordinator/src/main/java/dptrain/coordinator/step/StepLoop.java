package dptrain.coordinator.step;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import dptrain.coordinator.lr.LrSchedule;
import dptrain.coordinator.plan.Schedule;
import dptrain.protocol.CoordinatorProtocol.ChunkRefused;
import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import dptrain.protocol.CoordinatorProtocol.MicroBatchPushed;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The step loop of one generation of shards: hands out micro-batches (a lookahead of
 * synchronous steps, or async tickets), books the shards' reports in step order, re-sends a
 * silent step, moves a lost or refused micro-batch to a live worker, closes backup steps by
 * quorum and scales gradients for clipping by global norm. It reports every completed step
 * and every pause (evaluation or checkpoint) to its parent, and waits there for
 * {@link RunPeriod}. A roll-back stops it and starts a new one: nothing of it is reset.
 */
public final class StepLoop extends AbstractBehavior<StepLoop.Command> {
  public sealed interface Command {}

  /** Train the next period with these workers (joiners admitted at the pause) and the lr schedule's state. */
  public record RunPeriod(List<ActorRef<WorkerProtocol.Command>> workers, double[] lrState) implements Command {}

  /** {@code worker} is gone; {@code live} are the workers left. Its micro-batches in flight go to them. */
  public record WorkerLost(ActorRef<WorkerProtocol.Command> worker, List<ActorRef<WorkerProtocol.Command>> live)
      implements Command {}

  /** A shard finished its part of a step (sync modes) or of a ticket (async modes). */
  public record ShardStepDone(StepDone done) implements Command {}

  /** Clipping by global norm: a shard's sum of squares of a step's gradient. */
  public record ShardGradientSquares(GradientSquares squares) implements Command {}

  /** A shard refused a chunk of a micro-batch: it is computed again elsewhere, or the step never ends. */
  public record ShardRefusedChunk(ChunkRefused refusal) implements Command {}

  /** Backup workers: a worker pushed a whole micro-batch. */
  public record WorkerPushed(MicroBatchPushed pushed) implements Command {}

  /** No step completed for a retry interval; {@code attempt} counts the intervals. */
  private record StepTimedOut(long completedSteps, int attempt) implements Command {}

  /**
   * What one generation's loop runs: its settings, the schedule over {@code trainRows} rows and
   * where it pauses, the shards and workers, and the step to start from (0, or a checkpoint's).
   */
  public record Setup(LoopSettings settings, Schedule schedule, PauseRule pauses, int trainRows, List<ShardAddress> shards,
      List<ActorRef<WorkerProtocol.Command>> workers, long firstStep, ActorRef<StepLoopReport> replyTo) {}

  private static final String STEP_TIMER = "step";

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Setup setup;
  private final StepDispatcher dispatcher;
  private final LrSchedule rates;
  private final PauseRule pauses;
  private final StepTally tally = new StepTally();
  private final MicroBatchLedger ledger = new MicroBatchLedger();
  private final WorkerTally workerTally;
  private final BackupClosing backup;
  private final NormClipping clipping;
  /** Async and SSP: who computes which ticket; null in the synchronous modes. */
  private final AsyncScheduler scheduler;
  private final StepTally ticketTally = new StepTally();
  private List<ActorRef<WorkerProtocol.Command>> workers;
  private long completed;
  private long dispatched;

  public static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new StepLoop(context, timers, setup)));
  }

  private StepLoop(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
    super(context);
    this.context = context;
    // Its first log line may come from a timer (a silent step), and Akka would name the logger after its own cell.
    context.setLoggerName(StepLoop.class);
    this.timers = timers;
    this.setup = setup;
    var settings = setup.settings();
    this.rates = settings.newRates(setup.schedule());
    this.pauses = setup.pauses();
    this.dispatcher = new StepDispatcher(setup.schedule(), settings.seed(), setup.trainRows(), settings.batch(),
        settings.shuffle(), setup.workers(), settings.reductionGroups(), rates, settings.curriculum());
    this.workers = new ArrayList<>(setup.workers());
    this.completed = setup.firstStep();
    this.dispatched = setup.firstStep();
    this.workerTally = new WorkerTally(context.getSystem().address(), java.time.Duration.ofSeconds(2), System::nanoTime);
    var consistency = settings.consistency();
    this.backup = new BackupClosing(consistency.backupWorkers());
    this.clipping = new NormClipping(settings.clipNorm(), setup.shards().size());
    this.scheduler = consistency.asynchronous()
        ? new AsyncScheduler(dispatcher, workers, consistency.stalenessBound(), setup.firstStep()) : null;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RunPeriod.class, this::onRunPeriod)
        .onMessage(ShardStepDone.class, this::onStepDone)
        .onMessage(ShardGradientSquares.class, this::onGradientSquares)
        .onMessage(ShardRefusedChunk.class, this::onChunkRefused)
        .onMessage(WorkerPushed.class, this::onPushed)
        .onMessage(WorkerLost.class, this::onWorkerLost)
        .onMessage(StepTimedOut.class, this::onStepTimedOut)
        .build();
  }

  private Behavior<Command> onRunPeriod(RunPeriod period) {
    if (!period.workers().equals(workers)) {
      workers = new ArrayList<>(period.workers());
      dispatcher.setWorkers(workers);
      if (scheduler != null) {
        scheduler.setWorkers(workers);
      }
    }
    rates.restore(period.lrState());
    dispatchAhead();
    restartTimer();
    return this;
  }

  /**
   * Shards report independently, so one shard's StepDone for step t + 1 may arrive before
   * another's for step t: count per step, and complete steps in order.
   */
  private Behavior<Command> onStepDone(ShardStepDone report) {
    StepDone done = report.done();
    if (scheduler != null) {
      return onTicketDone(done);
    }
    if (done.step() < completed) {
      // A shard repeats its report when a step comes again after the Coordinator did hear it (or the wire doubled it).
      context.getLog().debug("ignored StepDone for step {} from shard {}: that step is complete", done.step(), done.shard());
      return this;
    }
    tally.add(done);
    while (tally.count(completed) == setup.shards().size()) {
      String rows = tally.rows(completed);
      var late = tally.lateness(completed);
      if (completeStep(tally.take(completed), rows, late)) {
        return this;
      }
    }
    return this;
  }

  /** Async and SSP: a shard applied a ticket; when every shard has, its step may be finished. */
  private Behavior<Command> onTicketDone(StepDone done) {
    ticketTally.add(done);
    if (ticketTally.count(done.step()) < setup.shards().size()) {
      return this;
    }
    for (StepDone step : scheduler.ticketDone(ticketTally.take(done.step()))) {
      if (completeStep(step, dptrain.protocol.RowsDigest.hex(step.rowsDigest()), null)) {
        return this;
      }
    }
    scheduler.fill();
    return this;
  }

  /** Books a step every shard has finished and reports it (with the last shard's lateness); true when training pauses after it. */
  private boolean completeStep(StepDone done, String rows, StepTally.Lateness late) {
    long step = completed++;
    var straggler = workerTally.completed(ledger.complete(step), done.microBatchNanos(), done.microBatchArrivals(),
        late == null ? null : setup.shards().get(late.shard()).shard(), late == null ? 0 : late.nanos());
    Integer dropped = backup.droppedFrom(step);
    boolean pausing = pauses.pausesAfter(step);
    setup.replyTo().tell(new StepLoopReport.StepCompleted(step, done.sampleCount(), done.lossSum(), done.skipped(), rates.at(step),
        dropped == null ? -1 : dropped, scheduler == null ? -1 : done.staleness(), done.bytes(),
        scheduler == null ? -1 : scheduler.maxLead(), done.times(), workerTally.offer(pausing).orElse(Map.of()), rows,
        straggler.orElse(null)));
    if (pausing) {
      timers.cancel(STEP_TIMER);
      var reason = pauses.evaluatesAfter(step) ? StepLoopReport.PauseFor.EVALUATION : StepLoopReport.PauseFor.CHECKPOINT;
      setup.replyTo().tell(new StepLoopReport.Paused(step, reason, scheduler == null ? completed : scheduler.ticketsDone(), rates.state()));
      return true;
    }
    dispatchAhead();
    restartTimer();
    return false;
  }

  /** Dispatches up to {@code lookahead} steps beyond the current one, never past a pause. */
  private void dispatchAhead() {
    long total = setup.schedule().totalSteps();
    if (scheduler != null) {
      long end = completed;
      while (end + 1 < total && !pauses.pausesAfter(end)) {
        end++;
      }
      scheduler.allowUntil(Math.min(total, end + 1));
      scheduler.fill();
      return;
    }
    long limit = Math.min(total, completed + 1 + setup.settings().lookahead());
    while (dispatched < limit && (dispatched == completed || !pauses.pausesAfter(dispatched - 1))) {
      ledger.record(dispatched, dispatcher.dispatch(dispatched));
      dispatched++;
    }
  }

  private Behavior<Command> onGradientSquares(ShardGradientSquares report) {
    var squares = report.squares();
    clipping.add(squares).ifPresent(factor ->
        setup.shards().forEach(s -> s.shard().tell(new ShardProtocol.ScaleGradient(squares.step(), factor))));
    return this;
  }

  /**
   * Backup workers (Chen et al. 2016): once all but b micro-batches of a step are pushed, the
   * step closes with those; the shards drop the rest wherever they are.
   */
  private Behavior<Command> onPushed(WorkerPushed report) {
    var p = report.pushed();
    if (setup.settings().consistency().backup() && p.step() >= completed) {
      backup.pushed(p.step(), p.microBatch(), ledger.microBatches(p.step()))
          .ifPresent(close -> setup.shards().forEach(s -> s.shard().tell(close)));
    }
    return this;
  }

  private Behavior<Command> onChunkRefused(ShardRefusedChunk report) {
    var refusal = report.refusal();
    try {
      ledger.reassignRefused(refusal.step(), refusal.microBatch(), refusal.sender(), workers).ifPresent(to ->
          context.getLog().warn("micro-batch {} of step {} from {} refused by shard {} ({}); computing it again on {}",
              refusal.microBatch(), refusal.step(), refusal.sender().path().name(), refusal.shard(), refusal.reason(),
              to.path().name()));
    } catch (IllegalStateException e) {
      setup.replyTo().tell(new StepLoopReport.LoopFailed(e.getMessage()));
      return Behaviors.stopped();
    }
    return this;
  }

  /** A worker is gone: its micro-batches in flight go to the live workers, and the next steps are cut over those. */
  private Behavior<Command> onWorkerLost(WorkerLost lost) {
    workers = new ArrayList<>(lost.live());
    dispatcher.setWorkers(workers);
    int moved = ledger.reassignFrom(lost.worker(), workers);
    if (scheduler != null) {
      scheduler.workerLost(lost.worker());
      scheduler.fill();
    }
    if (moved > 0) {
      context.getLog().info("{} micro-batch(es) of {} handed to the other workers", moved, lost.worker().path());
      restartTimer();
    }
    return this;
  }

  /** Asks each shard that has not reported {@code step} (a ticket, in async modes) to repeat its report: a finished shard's may be what was lost. */
  private void askUnreported(long step) {
    StepTally reports = scheduler != null ? ticketTally : tally;
    java.util.stream.IntStream.range(0, setup.shards().size()).filter(shard -> !reports.reported(step, shard))
        .forEach(shard -> setup.shards().get(shard).shard().tell(new dptrain.protocol.ShardProtocol.ReportStep(step)));
  }

  private void restartTimer() {
    timers.startSingleTimer(STEP_TIMER, new StepTimedOut(completed, 1), setup.settings().retryAfter());
  }

  private Behavior<Command> onStepTimedOut(StepTimedOut timedOut) {
    if (timedOut.completedSteps() != completed) {
      return this;
    }
    if (timedOut.attempt() * setup.settings().retryAfter().toMillis() < setup.settings().stepTimeout().toMillis()) {
      // Messages may be lost (Artery delivers at most once) or refused under a stale label:
      // everything of this step goes out again, to other workers; the shards take each part once.
      int resent = scheduler != null ? scheduler.resend() : ledger.resend(completed, workers);
      (scheduler != null ? scheduler.outstanding() : List.of(completed)).forEach(this::askUnreported);
      var silent = setup.settings().retryAfter().multipliedBy(timedOut.attempt());
      context.getLog().warn("step {} silent for {} s: sent its {} micro-batch(es) again", completed, silent.toSeconds(), resent);
      setup.replyTo().tell(new StepLoopReport.Resent(completed, resent, silent));
      timers.startSingleTimer(STEP_TIMER, new StepTimedOut(completed, timedOut.attempt() + 1), setup.settings().retryAfter());
      return this;
    }
    String waited = scheduler == null ? tally.count(completed) + " of " + setup.shards().size() + " shard(s) done"
        : "tickets " + scheduler.outstanding() + " not applied by every shard";
    setup.replyTo().tell(new StepLoopReport.LoopFailed("step " + completed + " did not complete within "
        + setup.settings().stepTimeout().toSeconds() + " s (" + waited + ")"));
    return Behaviors.stopped();
  }
}
