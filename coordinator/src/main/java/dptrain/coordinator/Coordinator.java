package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.plan.Schedule;
import dptrain.coordinator.stopping.EarlyStopping;
import dptrain.coordinator.kmeans.KMeansRun;
import dptrain.protocol.tensor.FlatArray;
import dptrain.coordinator.ps.ShardHost;
import akka.cluster.typed.Cluster;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.coordinator.fullbatch.FullBatchMethods;
import dptrain.coordinator.lr.LrSchedule;
import dptrain.coordinator.lr.LrSchedules;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.CoordinatorProtocol.Command;
import dptrain.protocol.CoordinatorProtocol.GradientPiece;
import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import dptrain.protocol.CoordinatorProtocol.Internal;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.CoordinatorProtocol.WorkerReady;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.Worker;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Set;

/**
 * Runs one training job through its phases: waiting for workers, configuring them, training
 * in synchronous steps with an evaluation after every epoch, and collecting the final
 * parameters. Every wait is bounded by a timeout that fails the job loudly. Step bookkeeping
 * lives here; metrics I/O, evaluation rounds and parameter collection are children.
 */
public final class Coordinator {
  /** A receptionist listing, of workers or of shard hosts (Akka keeps one adapter per message class). */
  private record Listed(Receptionist.Listing listing) implements Internal {}

  /** A cluster node became unreachable (or reachable again). */
  private record Reachability(akka.cluster.ClusterEvent.ReachabilityEvent event) implements Internal {}

  private enum ReadyTimedOut implements Internal {
    INSTANCE
  }

  /** No step completed for a retry interval; {@code attempt} counts the intervals. */
  private record StepTimedOut(long completedSteps, int attempt) implements Internal {
    StepTimedOut(long completedSteps) {
      this(completedSteps, 1);
    }
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final JobSettings settings;
  private final ActorRef<TrainingOutcome> replyTo;
  private final JobResources resources;
  private final Set<ActorRef<WorkerProtocol.Command>> ready = new HashSet<>();
  private final TrainingClock clock = new TrainingClock();
  private List<ActorRef<WorkerProtocol.Command>> workers = List.of();
  private Set<ActorRef<WorkerProtocol.Command>> listedWorkers = Set.of();
  private Set<ActorRef<ShardHostProtocol.Command>> listedHosts = Set.of();
  private List<ShardAddress> shards = List.of();
  private ActorRef<MetricsLog.Record> metrics;
  private Schedule schedule;
  private StepDispatcher dispatcher;
  private int trainRows;
  private int testRows;
  private long completed;
  private long dispatched;
  private final StepTally tally = new StepTally();
  private double lastTrainLoss = Double.NaN;
  /** The summed training loss and samples of the steps since the last evaluation. */
  private double periodLossSum;
  private long periodSamples;
  private LrSchedule rates;
  private NormClipping clipping;
  private long skippedSteps;
  private int validationRows;
  private EarlyStopping stopping;
  /** The validation result of the evaluation under way, until its test result arrives. */
  private EvaluationRound.Result validated;
  /** Under early stopping: the best parameters so far and their test scores. */
  private FlatArray best;
  private double bestTestLoss = Double.NaN;
  private double bestTestAccuracy = Double.NaN;
  private double bestTrainLoss;
  /** Samples applied in each epoch so far: every sample once per epoch, whatever failed on the way. */
  private long[] samplesPerEpoch = new long[0];
  private double lastValidationLoss = Double.NaN;
  private final SyncedMoments moments = new SyncedMoments();
  private final MicroBatchLedger ledger = new MicroBatchLedger();
  private long refusedMessages;
  /** Backup workers: which micro-batches each step closes with. */
  private final BackupClosing backup;
  private long droppedMicroBatches;
  /** Async and SSP: who computes which micro-batch; null in the synchronous modes. */
  private AsyncScheduler scheduler;
  /** Async and SSP: the shards' reports per micro-batch (ticket). */
  private final StepTally ticketTally = new StepTally();
  private long stalenessSum;
  private long gradientBytes;
  /** Workers that left during training: never taken back (a listing may still name them for a while). */
  private final Set<ActorRef<WorkerProtocol.Command>> departed = new HashSet<>();
  /** Workers that joined during training and are configured: they take part from the next pause. */
  private final List<ActorRef<WorkerProtocol.Command>> joining = new java.util.ArrayList<>();
  /** Workers asked to configure during training, until they are ready. */
  private final Set<ActorRef<WorkerProtocol.Command>> configuringJoiners = new HashSet<>();
  /** Nodes that became unreachable: their shard hosts are not used again. */
  private final Set<akka.actor.Address> lostNodes = new HashSet<>();
  /** How many times the shards were rolled back to a checkpoint; part of the shards' job id. */
  private int rollbacks;
  /** The evaluation round under way (to restart it without a worker that left), or null. */
  private ActorRef<Command> evaluation;
  private boolean evaluatingValidation;
  private int evaluationRounds;
  /** A standby took this job over: its metrics go on in the same file. */
  private boolean takingOver;
  /** Checkpoints and the finished mark; null without a run folder. */
  private final dptrain.coordinator.checkpoint.RunFolder runFolder;

  public static Behavior<Command> create(JobSettings settings, ActorRef<TrainingOutcome> replyTo) {
    return create(settings, replyTo, false);
  }

  /**
   * The Coordinator as the cluster singleton runs it. With {@code takeover} (a standby node, after
   * the node that ran it died) it goes on from the run folder's newest good checkpoint, or ends at
   * once when the run folder says the job already finished.
   */
  public static Behavior<Command> create(JobSettings settings, ActorRef<TrainingOutcome> replyTo, boolean takeover) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      var coordinator = new Coordinator(context, timers, settings, replyTo);
      var folder = coordinator.runFolder;
      if (takeover && folder != null) {
        var finished = folder.finished();
        if (finished.isPresent()) {
          context.getLog().info("job {} already finished: {}", settings.jobId(), finished.get());
          replyTo.tell(new TrainingOutcome.FinishedElsewhere(finished.get()));
          return Behaviors.stopped();
        }
        var checkpoint = coordinator.newestGoodCheckpoint();
        coordinator.resources.rollBackTo(checkpoint);
        coordinator.takingOver = true;
        context.getLog().warn("taking over job {} {}", settings.jobId(), checkpoint == null
            ? "from the start (no checkpoint yet)" : "from the checkpoint after step " + checkpoint.step());
      } else if (folder != null && settings.checkpointing().resumeFrom() == null) {
        folder.clearEarlierRun();
      }
      ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, Listed::new);
      context.getSystem().receptionist().tell(Receptionist.subscribe(Worker.SERVICE_KEY, listings));
      context.getSystem().receptionist().tell(Receptionist.subscribe(ShardHost.SERVICE_KEY, listings));
      // Unreachability is heard seconds before the split-brain resolver downs the node and the
      // receptionist drops its actors: a lost worker's micro-batches move on at once.
      akka.cluster.typed.Cluster.get(context.getSystem()).subscriptions().tell(akka.cluster.typed.Subscribe.create(
          context.messageAdapter(akka.cluster.ClusterEvent.ReachabilityEvent.class, Reachability::new),
          akka.cluster.ClusterEvent.ReachabilityEvent.class));
      timers.startSingleTimer(ReadyTimedOut.INSTANCE, settings.readyTimeout());
      context.getLog().info("job {}: waiting for {} worker(s)", settings.jobId(), settings.workers());
      return coordinator.waitingForWorkers();
    }));
  }

  /** Marks the run folder finished (for a standby that takes over later), with the result. */
  private void markFinished(TrainingOutcome.Finished finished) {
    try {
      runFolder.markFinished(String.format(Locale.ROOT, "steps=%d test_loss=%.6f test_accuracy=%.4f", finished.steps(),
          finished.testLoss(), finished.testAccuracy()));
    } catch (java.io.IOException e) {
      context.getLog().warn("cannot mark the run folder finished: {}", e.getMessage());
    }
  }

  private Coordinator(ActorContext<Command> context, TimerScheduler<Command> timers, JobSettings settings,
      ActorRef<TrainingOutcome> replyTo) {
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.replyTo = replyTo;
    this.resources = new JobResources(settings);
    this.stopping = new EarlyStopping(settings.earlyStopping());
    this.backup = new BackupClosing(settings.consistency().backupWorkers());
    this.runFolder = settings.runDir() == null ? null
        : new dptrain.coordinator.checkpoint.RunFolder(settings.runDir(), settings.jobId(), settings.checkpointing().keep());
  }

  private Behavior<Command> waitingForWorkers() {
    return Behaviors.receive(Command.class)
        .onMessage(Listed.class, this::onListedBeforeStart)
        .onMessage(ReadyTimedOut.class, t -> fail("only " + listedWorkers.size() + " of " + settings.workers()
            + " worker(s) (and " + listedHosts.size() + " shard host(s)) joined within "
            + settings.readyTimeout().toSeconds() + " s"))
        .build();
  }

  private Behavior<Command> onListedBeforeStart(Listed listed) {
    if (listed.listing().isForKey(Worker.SERVICE_KEY)) {
      listedWorkers = listed.listing().getServiceInstances(Worker.SERVICE_KEY);
    } else {
      listedHosts = listed.listing().getServiceInstances(ShardHost.SERVICE_KEY);
    }
    return placeWhenReady();
  }

  private Behavior<Command> placeWhenReady() {
    if (listedWorkers.size() < settings.workers()) {
      return Behaviors.same();
    }
    List<ActorRef<WorkerProtocol.Command>> chosen = listedWorkers.stream()
        .sorted(Comparator.comparing(ref -> ref.path().toString()))
        .limit(settings.workers())
        .toList();
    return place(chosen);
  }

  /** Places the shards for these workers (on their nodes, or on this one) once the hosts needed are listed. */
  private Behavior<Command> place(List<ActorRef<WorkerProtocol.Command>> chosen) {
    var usable = listedHosts.stream().filter(h -> !lostNodes.contains(addressOf(h))).toList();
    var hosts = resources.hostsFor(chosen, usable, Cluster.get(context.getSystem()).selfMember().address());
    if (hosts.isEmpty()) {
      return Behaviors.same();
    }
    workers = new java.util.ArrayList<>(chosen);
    context.spawn(ShardPlacement.create(resources.placementPlan(hosts.get()), context.getSelf(),
        settings.readyTimeout()), "shard-placement-" + resources.generation());
    return placing();
  }

  private akka.actor.Address addressOf(ActorRef<?> ref) {
    return JobResources.addressOf(ref, Cluster.get(context.getSystem()).selfMember().address());
  }

  private Behavior<Command> placing() {
    return Behaviors.receive(Command.class)
        .onMessage(ShardPlacement.Placed.class, this::onPlaced)
        .onMessage(ReadyTimedOut.class, t -> fail("the shards were not placed within " + settings.readyTimeout().toSeconds() + " s"))
        .onMessage(Listed.class, l -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onPlaced(ShardPlacement.Placed placed) {
    if (placed.failure() != null) {
      return fail(placed.failure());
    }
    shards = placed.shards();
    String mismatch = resources.resumeMismatch();
    if (mismatch != null) {
      return fail("cannot resume: " + mismatch);
    }
    if (settings.runDir() != null && metrics == null) {
      metrics = context.spawn(MetricsLog.create(settings.runDir(), resources.resumeFrom() != null || takingOver), "metrics");
    }
    workers.forEach(w -> w.tell(resources.configureFor(context.getSelf(), shards)));
    context.getLog().info("job {}: {} worker(s), {} shard(s) on the {} node(s), {} parameters; configuring",
        settings.jobId(), workers.size(), shards.size(), settings.psOnWorkers() ? "workers'" : "coordinator's",
        resources.layout().size());
    return configuring();
  }

  private Behavior<Command> configuring() {
    return Behaviors.receive(Command.class)
        .onMessage(WorkerReady.class, this::onWorkerReady)
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(ReadyTimedOut.class, t -> fail(ready.size() + " of " + workers.size()
            + " worker(s) were ready within " + settings.readyTimeout().toSeconds() + " s"))
        .onMessage(Listed.class, l -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onWorkerReady(WorkerReady r) {
    if (!workers.contains(r.worker())) {
      return onJoinerReady(r);
    }
    if (ready.isEmpty()) {
      trainRows = r.trainSize();
      testRows = r.testSize();
      validationRows = r.validationSize();
    } else if (r.trainSize() != trainRows || r.testSize() != testRows || r.validationSize() != validationRows) {
      return fail("workers see different data: " + trainRows + "/" + testRows + " vs " + r.trainSize() + "/"
          + r.testSize() + " training/test rows");
    }
    ready.add(r.worker());
    if (ready.size() < workers.size()) {
      return Behaviors.same();
    }
    timers.cancel(ReadyTimedOut.INSTANCE);
    if (!settings.earlyStopping().method().equals("none") && validationRows == 0) {
      return fail("early stopping needs a validation set (--validation F)");
    }
    if (settings.curriculum() != null && settings.curriculum().scores().length != trainRows) {
      return fail("the curriculum has " + settings.curriculum().scores().length + " scores for " + trainRows + " training rows");
    }
    if (settings.rbfStage().equals("place")) {
      return placeRbfCentres();
    }
    if (settings.optimization().optimizer().fullBatch()) {
      return startFullBatch();
    }
    int batch = settings.effectiveBatch(trainRows);
    schedule = Schedule.of(trainRows, batch, settings.epochs(), settings.steps(), settings.evalEvery(),
        settings.evalSteps());
    var optimization = settings.optimization();
    rates = LrSchedules.build(optimization.schedule(), optimization.optimizer().lr(), batch, schedule.totalSteps(),
        schedule.stepsPerEpoch());
    clipping = new NormClipping(optimization.regularization().clipNorm(), shards.size());
    dispatcher = new StepDispatcher(schedule, settings.seed(), trainRows, batch, settings.shuffle(), workers,
        settings.reductionGroups(), rates, settings.curriculum());
    samplesPerEpoch = new long[(int) schedule.epochs()];
    if (resources.resumeFrom() != null) {
      restore(resources.resumeFrom());
    }
    long start = completed;
    if (settings.consistency().asynchronous()) {
      scheduler = new AsyncScheduler(dispatcher, workers,
          settings.consistency().mode().equals("ssp") ? settings.consistency().staleness() : null, start);
    }
    shards.forEach(shard -> shard.shard().tell(new ShardProtocol.StartShard(workers, start)));
    context.getLog().info("job {}: training {} step(s), {} per epoch, global batch {}", settings.jobId(),
        schedule.totalSteps(), schedule.stepsPerEpoch(), batch);
    startPeriod();
    return training();
  }

  /**
   * Step 1 of RBF learning: data-parallel k-means++ and Lloyd place the first layer's centres
   * and widths; the job ends with the initial vector so changed, untrained otherwise.
   */
  private Behavior<Command> placeRbfCentres() {
    var model = settings.model();
    var first = resources.layout().layers().get(0);
    context.spawn(KMeansRun.create(new KMeansRun.Setup(workers, trainRows, model.inputWidth(), first.out(),
        JobSettings.KMEANS_ITERATIONS, settings.seed(), settings.stepTimeout(), context.getSelf())), "k-means");
    return Behaviors.receive(Command.class)
        .onMessage(KMeansRun.Placed.class, placed -> {
          if (placed.failure() != null) {
            return fail("k-means: " + placed.failure());
          }
          context.getLog().info(String.format(Locale.ROOT, "k-means++ and %d Lloyd step(s) placed %d centres: inertia %.6g "
              + "(mean squared distance %.6g)", placed.iterations(), first.out(), placed.inertia(), placed.inertia() / trainRows));
          return end(new TrainingOutcome.Finished(placed.placedIn(resources.initial(), first), 0, Double.NaN, Double.NaN,
              Double.NaN, 0, 0, 0));
        })
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(Listed.class, this::onMembershipDuringTraining)
        .build();
  }

  /** lbfgs and cg: the method runs in a child; the shards only reduce gradients. */
  private Behavior<Command> startFullBatch() {
    shards.forEach(shard -> shard.shard().tell(new ShardProtocol.StartShard(workers)));
    var spec = settings.optimization().optimizer();
    int iterations = (int) (settings.steps() > 0 ? settings.steps() : settings.epochs());
    context.getLog().info("job {}: {} over all {} training rows, at most {} iteration(s)", settings.jobId(), spec.name(),
        trainRows, iterations);
    ActorRef<Command> run = context.spawn(FullBatchRun.create(new FullBatchRun.Setup(FullBatchMethods.create(spec, iterations),
        resources.initial(), workers, shards, trainRows, testRows, resources.pieceElements(), settings.stepTimeout(), metrics,
        context.getSelf())), "full-batch");
    return Behaviors.receive(Command.class)
        .onMessage(StepDone.class, done -> forward(run, done))
        .onMessage(GradientPiece.class, piece -> forward(run, piece))
        .onMessage(FullBatchRun.Finished.class, this::onFullBatchFinished)
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(Listed.class, this::onMembershipDuringTraining)
        .build();
  }

  private static Behavior<Command> forward(ActorRef<Command> to, Command message) {
    to.tell(message);
    return Behaviors.same();
  }

  private Behavior<Command> onFullBatchFinished(FullBatchRun.Finished done) {
    if (done.outcome() instanceof TrainingOutcome.Failed failed) {
      return fail(failed.reason());
    }
    return end(done.outcome());
  }

  private Behavior<Command> training() {
    return Behaviors.receive(Command.class)
        .onMessage(StepDone.class, this::onStepDone)
        .onMessage(GradientSquares.class, this::onGradientSquares)
        .onMessage(BatchMoments.class, m -> {
          moments.add(m);
          return Behaviors.same();
        })
        .onMessage(EvaluationRound.Report.class, this::onEvaluated)
        .onMessage(StepTimedOut.class, this::onStepTimedOut)
        .onMessage(CoordinatorProtocol.ChunkRefused.class, this::onChunkRefused)
        .onMessage(CoordinatorProtocol.MicroBatchPushed.class, this::onPushed)
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(WorkerReady.class, this::onJoinerReady)
        .onMessage(Listed.class, this::onMembershipChange)
        .onMessage(Reachability.class, this::onReachability)
        .build();
  }

  private void startPeriod() {
    admitJoiners();
    clock.resume();
    dispatchAhead();
    timers.startSingleTimer("step", new StepTimedOut(completed), settings.retryAfter());
  }

  /** Dispatches up to {@code lookahead} steps beyond the current one, never past an evaluation or a checkpoint. */
  private void dispatchAhead() {
    if (scheduler != null) {
      long end = completed;
      while (end + 1 < schedule.totalSteps() && !pausesAfter(end)) {
        end++;
      }
      scheduler.allowUntil(Math.min(schedule.totalSteps(), end + 1));
      scheduler.fill();
      return;
    }
    long limit = Math.min(schedule.totalSteps(), completed + 1 + settings.lookahead());
    while (dispatched < limit && (dispatched == completed || !pausesAfter(dispatched - 1))) {
      ledger.record(dispatched, dispatcher.dispatch(dispatched));
      dispatched++;
    }
  }

  /** Training stops after this step for an evaluation or a checkpoint: nothing later is handed out before. */
  private boolean pausesAfter(long step) {
    return schedule.endsEvaluationPeriod(step) || checkpointAfter(step);
  }

  private boolean checkpointAfter(long step) {
    return settings.runDir() != null && settings.checkpointing().after(step, schedule.stepsPerEpoch())
        && step + 1 < schedule.totalSteps();
  }

  /** Continues from a checkpoint: its step, and the Coordinator's bookkeeping at that step. */
  private void restore(dptrain.coordinator.checkpoint.Checkpoint checkpoint) {
    completed = checkpoint.step();
    dispatched = completed;
    var p = checkpoint.progress();
    skippedSteps = p.skippedSteps();
    rates.restore(p.lrState());
    stopping.restore(p.bestLoss(), p.bestStep(), p.strikes());
    best = p.bestParameters();
    bestTestLoss = p.bestTestLoss();
    bestTestAccuracy = p.bestTestAccuracy();
    bestTrainLoss = p.bestTrainLoss();
    lastValidationLoss = p.lastValidationLoss();
    lastTrainLoss = p.lastTrainLoss();
    System.arraycopy(p.samplesPerEpoch(), 0, samplesPerEpoch, 0, Math.min(samplesPerEpoch.length, p.samplesPerEpoch().length));
    context.getLog().info("job {}: resuming after step {} (epoch {}, step {} of it)", settings.jobId(), completed,
        checkpoint.epoch() + 1, checkpoint.stepInEpoch());
    event("resume", "step", completed, "epoch", checkpoint.epoch());
  }

  /**
   * Shards report independently, so one shard's StepDone for step t + 1 may arrive before
   * another's for step t: count per step, and complete steps in order.
   */
  private Behavior<Command> onStepDone(StepDone done) {
    if (done.generation() != resources.generation()) {
      return Behaviors.same(); // from shards rolled back and replaced
    }
    if (scheduler != null) {
      return onTicketDone(done);
    }
    if (done.step() < completed) {
      context.getLog().warn("ignored StepDone for step {} from shard {}: step {} is complete", done.step(), done.shard(), done.step());
      return Behaviors.same();
    }
    tally.add(done);
    while (tally.count(completed) == shards.size()) {
      var pause = pauseAfter(tally.take(completed));
      if (pause != null) {
        return pause;
      }
    }
    return Behaviors.same();
  }

  /** Books a finished step; the behaviour of the pause that follows it (evaluation, checkpoint), or null to go on. */
  private Behavior<Command> pauseAfter(StepDone done) {
    return switch (completeStep(done)) {
      case EVALUATE -> Behaviors.same();
      case CHECKPOINT -> checkpoint();
      case GO_ON -> null;
    };
  }

  private Behavior<Command> onGradientSquares(GradientSquares squares) {
    clipping.add(squares).ifPresent(factor ->
        shards.forEach(s -> s.shard().tell(new ShardProtocol.ScaleGradient(squares.step(), factor))));
    return Behaviors.same();
  }

  /** Async and SSP: a shard applied a micro-batch; when every shard has, its step may be finished. */
  private Behavior<Command> onTicketDone(StepDone done) {
    ticketTally.add(done);
    if (ticketTally.count(done.step()) < shards.size()) {
      return Behaviors.same();
    }
    for (StepDone step : scheduler.ticketDone(ticketTally.take(done.step()))) {
      var pause = pauseAfter(step);
      if (pause != null) {
        return pause;
      }
    }
    scheduler.fill();
    return Behaviors.same();
  }

  /** What follows a completed step. */
  private enum AfterStep {
    GO_ON,
    EVALUATE,
    CHECKPOINT
  }

  /** Books a step that every shard has finished; says whether an evaluation or a checkpoint follows. */
  private AfterStep completeStep(StepDone done) {
    long step = completed++;
    ledger.complete(step);
    samplesPerEpoch[(int) schedule.epochOf(step)] += done.sampleCount();
    lastTrainLoss = done.lossSum() / done.sampleCount();
    periodLossSum += done.lossSum();
    periodSamples += done.sampleCount();
    clock.addSamples(done.sampleCount());
    if (done.skipped()) {
      skippedSteps++;
      context.getLog().warn("step {} skipped: its aggregated gradient holds NaN or Inf ({} skipped so far)", step, skippedSteps);
    }
    Integer dropped = backup.droppedFrom(step);
    if (dropped != null) {
      droppedMicroBatches += dropped;
    }
    stalenessSum += done.staleness();
    gradientBytes += done.bytes();
    if (metrics != null) {
      metrics.tell(new MetricsLog.StepRecord(step, schedule.epochOf(step), lastTrainLoss, done.sampleCount(),
          rates.at(step), done.skipped(), clock.elapsedSeconds(), dropped == null ? -1 : dropped,
          scheduler == null ? -1 : done.staleness(), done.bytes(), workers.size()));
    }
    if (schedule.endsEvaluationPeriod(step)) {
      clock.pause();
      timers.cancel("step");
      startEvaluation(validationRows > 0);
      return AfterStep.EVALUATE;
    }
    if (checkpointAfter(step)) {
      clock.pause();
      timers.cancel("step");
      return AfterStep.CHECKPOINT;
    }
    dispatchAhead();
    timers.startSingleTimer("step", new StepTimedOut(completed), settings.retryAfter());
    return AfterStep.GO_ON;
  }

  /**
   * Writes a checkpoint after step {@code completed - 1} (training is paused there: nothing
   * later was handed out), then goes on training.
   */
  private Behavior<Command> checkpoint() {
    context.spawn(ParameterCollection.create(shards, (int) resources.layout().size(), settings.optimization().precision(),
        resources.optimizerSlots(), settings.stepTimeout(), context.getSelf()), "checkpoint-" + completed);
    return Behaviors.receive(Command.class)
        .onMessage(ParameterCollection.Collected.class, c -> {
          if (c.failure() != null) {
            return fail("checkpoint after step " + completed + ": " + c.failure());
          }
          var checkpoint = new dptrain.coordinator.checkpoint.Checkpoint(settings.jobId(), settings.checkpointing().config(),
              completed, schedule.epochOf(completed), schedule.stepInEpoch(completed), settings.seed(), c.parameters(),
              c.state(), c.counters(), shards.size(), resources.pieceElements(), progress());
          try {
            var file = runFolder.save(checkpoint);
            context.getLog().info("checkpoint after step {}: {}", completed, file);
            event("checkpoint", "step", completed, "file", file.getFileName().toString());
          } catch (java.io.IOException e) {
            return fail("cannot write the checkpoint after step " + completed + ": " + e.getMessage());
          }
          startPeriod();
          return training();
        })
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(WorkerReady.class, this::onJoinerReady)
        .onMessage(Listed.class, this::onMembershipChange)
        .onMessage(Reachability.class, this::onReachability)
        .build();
  }

  private dptrain.coordinator.checkpoint.Checkpoint.Progress progress() {
    int epoch = (int) Math.min(schedule.epochOf(completed), samplesPerEpoch.length - 1);
    return new dptrain.coordinator.checkpoint.Checkpoint.Progress(skippedSteps, rates.state(), stopping.bestLoss(),
        stopping.bestStep(), stopping.strikes(), best, bestTestLoss, bestTestAccuracy, bestTrainLoss, lastValidationLoss,
        lastTrainLoss, samplesPerEpoch[epoch], java.util.Arrays.copyOf(samplesPerEpoch, epoch + 1));
  }

  /** A validation result starts the test evaluation; a test result ends the period. */
  private Behavior<Command> onEvaluated(EvaluationRound.Report report) {
    if (report.failure() != null) {
      return fail(report.failure());
    }
    var r = report.result();
    if (r.validation()) {
      validated = r;
      startEvaluation(false);
      return Behaviors.same();
    }
    evaluation = null;
    double validationLoss = validated == null ? Double.NaN : validated.meanLoss();
    lastValidationLoss = validationLoss;
    // The period's mean training loss (as trained: with dropout), not the last step's alone.
    lastTrainLoss = periodSamples > 0 ? periodLossSum / periodSamples : lastTrainLoss;
    periodLossSum = 0;
    periodSamples = 0;
    long epoch = schedule.epochOf(completed - 1) + 1;
    rates.observeValidationLoss(completed, validated == null ? r.meanLoss() : validationLoss);
    context.getLog().info(String.format(Locale.ROOT,
        "epoch %d/%d step %d train_loss=%.4f%s test_loss=%.4f test_accuracy=%.4f samples_per_s=%.0f",
        epoch, schedule.epochs(), completed, lastTrainLoss, validated == null ? ""
            : String.format(Locale.ROOT, " validation_loss=%.4f validation_accuracy=%.4f", validationLoss, validated.accuracy()),
        r.meanLoss(), r.accuracy(), clock.samplesPerSecond()));
    if (metrics != null) {
      metrics.tell(new MetricsLog.EpochRecord(epoch, completed, lastTrainLoss, r.meanLoss(), r.accuracy(),
          clock.samplesPerSecond(), clock.elapsedSeconds(), validationLoss,
          validated == null ? Double.NaN : validated.accuracy(), samplesPerEpoch[(int) schedule.epochOf(completed - 1)]));
    }
    validated = null;
    if (Double.isNaN(validationLoss)) {
      return goOnOrCollect(r);
    }
    return switch (stopping.observe(completed, validationLoss)) {
      case IMPROVED -> snapshot(r);
      case GO_ON -> goOnOrCollect(r);
      case STOP -> stopEarly(r, validationLoss);
    };
  }

  /** Next period, or, after the last step, the end: the best parameters under early stopping, else the last ones. */
  private Behavior<Command> goOnOrCollect(EvaluationRound.Result test) {
    if (completed < schedule.totalSteps()) {
      if (checkpointAfter(completed - 1)) {
        return checkpoint();
      }
      startPeriod();
      return training(); // not same(): this may run in the snapshot behaviour
    }
    return finishTraining(test);
  }

  /** Training is over: the best parameters under early stopping (7.1), else the shards' last ones. */
  private Behavior<Command> finishTraining(EvaluationRound.Result test) {
    if (best != null) {
      return finishWithBest();
    }
    collectParameters("collect-parameters");
    return collecting(test.meanLoss(), test.accuracy());
  }

  /** Asks every shard for its parameters; a child answers with {@link ParameterCollection.Collected}. */
  private void collectParameters(String name) {
    context.spawn(ParameterCollection.create(shards, (int) resources.layout().size(),
        settings.optimization().precision(), settings.stepTimeout(), context.getSelf()), name);
  }

  /** A new best validation loss: keep a copy of these parameters before going on (algorithm 7.1). */
  private Behavior<Command> snapshot(EvaluationRound.Result test) {
    collectParameters("snapshot-" + completed);
    return Behaviors.receive(Command.class)
        .onMessage(ParameterCollection.Collected.class, c -> {
          if (c.failure() != null) {
            return fail(c.failure());
          }
          best = c.parameters();
          bestTestLoss = test.meanLoss();
          bestTestAccuracy = test.accuracy();
          bestTrainLoss = lastTrainLoss;
          return goOnOrCollect(test);
        })
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(WorkerReady.class, this::onJoinerReady)
        .onMessage(Listed.class, this::onMembershipChange)
        .onMessage(Reachability.class, this::onReachability)
        .build();
  }

  private Behavior<Command> stopEarly(EvaluationRound.Result test, double validationLoss) {
    String reason = settings.earlyStopping().stopsAtTarget()
        ? String.format(Locale.ROOT, "validation loss %.4f below the target %.4f", validationLoss,
            settings.earlyStopping().targetLoss())
        : "no improvement in " + settings.earlyStopping().patience() + " evaluation(s)";
    context.getLog().info("early stopping after step {}: {}; best validation loss {} after step {}", completed, reason,
        String.format(Locale.ROOT, "%.4f", stopping.bestLoss()), stopping.bestStep());
    if (metrics != null) {
      metrics.tell(new MetricsLog.StopRecord(completed, stopping.bestStep(), stopping.bestLoss(), validationLoss, reason));
    }
    return finishTraining(test);
  }

  /** Algorithm 7.1's result: the best parameters, their step i* and their test scores. */
  private Behavior<Command> finishWithBest() {
    context.getLog().info(String.format(Locale.ROOT,
        "keeping the best parameters, after step %d: validation_loss=%.4f test_loss=%.4f test_accuracy=%.4f",
        stopping.bestStep(), stopping.bestLoss(), bestTestLoss, bestTestAccuracy));
    return end(new TrainingOutcome.Finished(best, completed, bestTrainLoss, bestTestLoss, bestTestAccuracy,
        clock.samplesPerSecond(), 0, skippedSteps, stopping.bestStep(), stopping.bestLoss()));
  }

  private Behavior<Command> collecting(double testLoss, double accuracy) {
    return Behaviors.receive(Command.class)
        .onMessage(ParameterCollection.Collected.class, c -> {
          if (c.failure() != null) {
            return fail(c.failure());
          }
          return end(new TrainingOutcome.Finished(c.parameters(), completed, lastTrainLoss, testLoss, accuracy,
              clock.samplesPerSecond(), c.refusedChunks(), skippedSteps, completed, lastValidationLoss));
        })
        .onMessage(Listed.class, l -> Behaviors.same())
        .onMessage(WorkerFailed.class, f -> Behaviors.same())
        .build();
  }


  private Behavior<Command> onStepTimedOut(StepTimedOut timedOut) {
    if (timedOut.completedSteps() != completed) {
      return Behaviors.same();
    }
    if (timedOut.attempt() * settings.retryAfter().toMillis() < settings.stepTimeout().toMillis()) {
      // Messages may be lost (Artery delivers at most once) or refused under a stale label:
      // everything of this step goes out again, to other workers; the shards take each part once.
      int resent = scheduler != null ? scheduler.resend() : ledger.resend(completed, workers);
      context.getLog().warn("step {} silent for {} s: sent its {} micro-batch(es) again", completed,
          timedOut.attempt() * settings.retryAfter().toSeconds(), resent);
      timers.startSingleTimer("step", new StepTimedOut(completed, timedOut.attempt() + 1), settings.retryAfter());
      return Behaviors.same();
    }
    return fail("step " + completed + " did not complete within " + settings.stepTimeout().toSeconds()
        + " s (" + tally.count(completed) + " of " + shards.size() + " shard(s) done)");
  }

  /** Starts a validation or test evaluation round with the current workers. */
  private void startEvaluation(boolean validation) {
    evaluatingValidation = validation;
    long version = completed;
    if (scheduler != null) {
      // Each worker holds the pieces it pulled; at a pause every shard sends everyone its newest.
      shards.forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(workers, true)));
      version = scheduler.ticketsDone();
    }
    evaluation = context.spawn(EvaluationRound.create(workers, version, validation ? validationRows : testRows, validation,
        settings.stepTimeout(), context.getSelf()), (validation ? "validation-" : "evaluation-") + completed + "-" + evaluationRounds++);
  }

  /**
   * Stochastic training: a worker that left hands its micro-batches to the others; a new worker
   * is configured and takes part from the next pause; shard hosts that left cost a roll-back.
   */
  private Behavior<Command> onMembershipChange(Listed listed) {
    if (listed.listing().isForKey(ShardHost.SERVICE_KEY)) {
      listedHosts = listed.listing().getServiceInstances(ShardHost.SERVICE_KEY);
      var hostNodes = listedHosts.stream().map(this::addressOf).toList();
      var orphan = shards.stream().filter(s -> !hostNodes.contains(addressOf(s.shard()))).findFirst();
      return orphan.isPresent()
          ? rollBack("the node of shard " + shards.indexOf(orphan.get()) + " left the cluster")
          : Behaviors.same();
    }
    var present = listed.listing().getServiceInstances(Worker.SERVICE_KEY);
    for (var worker : List.copyOf(workers)) {
      if (!present.contains(worker)) {
        var next = workerLost(worker, "left the cluster");
        if (next != null) {
          return next;
        }
      }
    }
    for (var worker : present) {
      if (!workers.contains(worker) && !departed.contains(worker) && !joining.contains(worker)
          && !lostNodes.contains(addressOf(worker)) && configuringJoiners.add(worker)) {
        context.getLog().info("worker {} joined during training; configuring it", worker.path());
        worker.tell(resources.configureFor(context.getSelf(), shards));
      }
    }
    return Behaviors.same();
  }

  /** A node became unreachable: its workers are lost at once; a shard on it costs a roll-back. */
  private Behavior<Command> onReachability(Reachability r) {
    if (!(r.event() instanceof akka.cluster.ClusterEvent.UnreachableMember unreachable)) {
      return Behaviors.same();
    }
    var node = unreachable.member().address();
    lostNodes.add(node);
    for (var worker : List.copyOf(workers)) {
      if (addressOf(worker).equals(node)) {
        var next = workerLost(worker, "became unreachable");
        if (next != null) {
          return next;
        }
      }
    }
    if (shards.stream().anyMatch(s -> addressOf(s.shard()).equals(node))) {
      return rollBack("node " + node + ", which held a parameter-server shard, became unreachable");
    }
    return Behaviors.same();
  }

  /**
   * A worker is gone: its micro-batches in flight go to the live workers, the next steps are
   * cut over those, and the shards stop sending to it. Returns the next behaviour when the job
   * cannot go on as it was (no worker left, or a shard lived on its node), else null.
   */
  private Behavior<Command> workerLost(ActorRef<WorkerProtocol.Command> worker, String how) {
    if (!workers.remove(worker)) {
      return null;
    }
    departed.add(worker);
    context.getLog().warn("worker {} {} after step {}; {} worker(s) left", worker.path(), how, completed, workers.size());
    event("worker_left", "step", completed, "worker", worker.path().toString(), "workers", workers.size());
    if (workers.isEmpty()) {
      return fail("every worker left the cluster (the last, " + worker.path() + ", " + how + ")");
    }
    if (shards.stream().anyMatch(s -> addressOf(s.shard()).equals(addressOf(worker)))) {
      return rollBack("worker " + worker.path() + ", whose node held a parameter-server shard, " + how);
    }
    if (dispatcher != null) {
      dispatcher.setWorkers(workers);
    }
    shards.forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(workers)));
    int moved = ledger.reassignFrom(worker, workers);
    if (scheduler != null) {
      scheduler.workerLost(worker);
      scheduler.fill();
    }
    if (moved > 0) {
      context.getLog().info("{} micro-batch(es) of {} handed to the other workers", moved, worker.path().name());
      timers.startSingleTimer("step", new StepTimedOut(completed), settings.retryAfter());
    }
    if (evaluation != null) {
      context.stop(evaluation);
      startEvaluation(evaluatingValidation);
    }
    return null;
  }

  /** A worker that joined during training is configured: it takes part from the next pause. */
  private Behavior<Command> onJoinerReady(WorkerReady r) {
    if (!configuringJoiners.remove(r.worker())) {
      return Behaviors.same();
    }
    if (r.trainSize() != trainRows || r.testSize() != testRows || r.validationSize() != validationRows) {
      context.getLog().warn("worker {} sees other data ({} training rows, not {}); not taking it", r.worker().path(),
          r.trainSize(), trainRows);
      departed.add(r.worker());
      return Behaviors.same();
    }
    joining.add(r.worker());
    return Behaviors.same();
  }

  /** At a pause (no step in flight): joined workers get the current parameters and a share of the next steps. */
  private void admitJoiners() {
    if (joining.isEmpty()) {
      return;
    }
    workers.addAll(joining);
    context.getLog().info("{} worker(s) joined after step {}: now {}", joining.size(), completed, workers.size());
    event("workers_joined", "step", completed, "workers", workers.size());
    joining.clear();
    dispatcher.setWorkers(workers);
    if (scheduler != null) {
      scheduler.setWorkers(workers);
    }
    shards.forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(workers)));
  }

  /**
   * Backup workers (Chen et al. 2016): once all but b micro-batches of a step are pushed, the
   * step closes with those; the shards drop the rest wherever they are.
   */
  private Behavior<Command> onPushed(CoordinatorProtocol.MicroBatchPushed p) {
    if (settings.consistency().backup() && p.step() >= completed) {
      backup.pushed(p.step(), p.microBatch(), ledger.microBatches(p.step()))
          .ifPresent(close -> shards.forEach(s -> s.shard().tell(close)));
    }
    return Behaviors.same();
  }

  /** A shard refused one of its chunks: that micro-batch is computed again elsewhere, or the step would never end. */
  private Behavior<Command> onChunkRefused(CoordinatorProtocol.ChunkRefused refusal) {
    if (refusal.generation() != resources.generation()) {
      return Behaviors.same();
    }
    refusedMessages++;
    event("refused", "step", refusal.step(), "micro_batch", refusal.microBatch(), "shard", refusal.shard(), "sender",
        refusal.sender().path().toString(), "reason", refusal.reason());
    try {
      ledger.reassignRefused(refusal.step(), refusal.microBatch(), refusal.sender(), workers).ifPresent(to ->
          context.getLog().warn("micro-batch {} of step {} from {} refused by shard {} ({}); computing it again on {}",
              refusal.microBatch(), refusal.step(), refusal.sender().path().name(), refusal.shard(), refusal.reason(),
              to.path().name()));
    } catch (IllegalStateException e) {
      return fail(e.getMessage());
    }
    return Behaviors.same();
  }

  /**
   * A parameter-server shard is lost: every shard goes back to the newest good checkpoint (or
   * the start) together, as a new generation, on the nodes still here; nothing of the steps
   * after it survives. The live workers are configured again and training goes on from there.
   */
  private Behavior<Command> rollBack(String reason) {
    dptrain.coordinator.checkpoint.Checkpoint checkpoint;
    try {
      checkpoint = newestGoodCheckpoint();
    } catch (java.io.IOException e) {
      return fail("cannot roll back: " + e.getMessage());
    }
    resources.rollBackTo(checkpoint);
    long to = checkpoint == null ? 0 : checkpoint.step();
    context.getLog().warn("rolling every shard back to step {} ({}): {}", to, checkpoint == null ? "the start"
        : "the newest checkpoint", reason);
    event("rollback", "from_step", completed, "to_step", to, "generation", resources.generation());
    timers.cancel("step");
    clock.pause();
    if (evaluation != null) {
      context.stop(evaluation);
      evaluation = null;
    }
    validated = null;
    workers.addAll(joining);
    joining.clear();
    ready.clear();
    tally.clear();
    backup.clear();
    ticketTally.clear();
    scheduler = null;
    ledger.clear();
    completed = 0;
    dispatched = 0;
    periodLossSum = 0;
    periodSamples = 0;
    skippedSteps = 0;
    best = null;
    bestTestLoss = Double.NaN;
    bestTestAccuracy = Double.NaN;
    lastValidationLoss = Double.NaN;
    stopping = new EarlyStopping(settings.earlyStopping());
    timers.startSingleTimer(ReadyTimedOut.INSTANCE, settings.readyTimeout());
    return place(List.copyOf(workers));
  }

  /** The newest checkpoint that reads back intact, or null when there is none. */
  private dptrain.coordinator.checkpoint.Checkpoint newestGoodCheckpoint() throws java.io.IOException {
    return runFolder == null ? null
        : runFolder.newestGood(damaged -> context.getLog().error("{}; trying the one before", damaged));
  }

  private Behavior<Command> onMembershipDuringTraining(Listed listed) {
    if (!listed.listing().isForKey(Worker.SERVICE_KEY)) {
      return Behaviors.same();
    }
    var present = listed.listing().getServiceInstances(Worker.SERVICE_KEY);
    for (ActorRef<WorkerProtocol.Command> worker : workers) {
      if (!present.contains(worker)) {
        return fail("worker " + worker.path() + " left the cluster during training");
      }
    }
    return Behaviors.same();
  }

  /** A line about the run's life in metrics.jsonl (when there is a run folder). */
  private void event(String type, Object... namesAndValues) {
    if (metrics != null) {
      metrics.tell(MetricsLog.EventRecord.of(type, namesAndValues));
    }
  }

  private Behavior<Command> fail(String reason) {
    context.getLog().error("job {} failed: {}", settings.jobId(), reason);
    return end(new TrainingOutcome.Failed(reason));
  }

  /**
   * Ends the job with {@code outcome}: the workers stop, the metrics log writes what it still
   * holds and closes, and only then does the outcome go out (whoever gets it may end the actor
   * system, and a stopping parent drops its children's unread mail).
   */
  private Behavior<Command> end(TrainingOutcome outcome) {
    workers.forEach(w -> w.tell(WorkerProtocol.StopWork.INSTANCE));
    if (metrics == null) {
      replyTo.tell(outcome);
      return Behaviors.stopped();
    }
    if (outcome instanceof TrainingOutcome.Finished finished) {
      markFinished(finished);
      long steps = Math.max(1, completed);
      List<Object> fields = new java.util.ArrayList<>(List.of("mode", settings.consistency().mode(), "steps", completed,
          "dropped_micro_batches", droppedMicroBatches, "refused_messages", refusedMessages, "rollbacks",
          resources.generation(), "workers_left", departed.size(), "compression", settings.compression().text(),
          "gradient_bytes_per_step", gradientBytes / steps, "gradient_bytes_per_step_per_worker",
          gradientBytes / steps / Math.max(1, workers.size())));
      if (scheduler != null) {
        fields.addAll(List.of("mean_staleness", (double) stalenessSum / steps));
      }
      event("summary", fields.toArray());
    }
    metrics.tell(new MetricsLog.Close(context.messageAdapter(MetricsLog.Closed.class, closed -> new MetricsClosed())));
    timers.startSingleTimer(new MetricsClosed(), settings.stepTimeout());
    return Behaviors.receive(Command.class)
        .onMessage(MetricsClosed.class, closed -> {
          replyTo.tell(outcome);
          return Behaviors.stopped();
        })
        .onAnyMessage(other -> Behaviors.same())
        .build();
  }

  private record MetricsClosed() implements Internal {}
}
