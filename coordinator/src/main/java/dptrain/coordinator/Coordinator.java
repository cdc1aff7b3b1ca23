package dptrain.coordinator;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.typed.Cluster;
import dptrain.coordinator.generation.Generation;
import dptrain.coordinator.generation.GenerationReport;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.membership.Membership;
import dptrain.coordinator.membership.MembershipReaction;
import dptrain.coordinator.membership.WorkerRoster;
import dptrain.coordinator.progress.RunTotals;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.CoordinatorProtocol.ChunkRefused;
import dptrain.protocol.CoordinatorProtocol.Command;
import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import dptrain.protocol.CoordinatorProtocol.Internal;
import dptrain.protocol.CoordinatorProtocol.MicroBatchPushed;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.CoordinatorProtocol.WorkerReady;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.List;
import java.util.Optional;

/**
 * Supervises one training job's life cycle: forming (enough workers listed), placing the
 * shards, configuring the workers, running (a {@link Generation} child for stochastic training,
 * or k-means or a full-batch method) and ending. Membership, the step loop, checkpoints and
 * evaluations are children with protocols of their own; this actor decides what their reports
 * mean for the job: a lost worker's share moves on, a lost shard rolls back to a checkpoint as a
 * new generation, joiners are admitted at pauses. Every wait is bounded by a timeout that fails
 * the job loudly.
 */
public final class Coordinator {
  private record MembershipChanged(Membership.Event event) implements Internal {}

  private record FormationEnded(JobFormation.Outcome outcome) implements Internal {}

  private record GenerationReported(GenerationReport report) implements Internal {}

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final JobSettings settings;
  private final ActorRef<TrainingOutcome> replyTo;
  private final JobResources resources;
  private final WorkerRoster roster;
  private final RunRecords records;
  private final Joiners joiners;
  private List<ShardAddress> shards = List.of();
  private DataRows rows;
  /** The formation under way, until it reports. */
  private ActorRef<JobFormation.Command> formation;
  private ActorRef<Generation.Command> generation;
  private RunTotals totals = RunTotals.NONE;

  /**
   * The Coordinator as the cluster singleton runs it. With {@code takeover} (a standby node, after
   * the node that ran it died) it goes on from the run folder's newest good checkpoint, or ends at
   * once when the run folder says the job already finished.
   */
  public static Behavior<Command> create(JobSettings settings, ActorRef<TrainingOutcome> replyTo, boolean takeover) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Coordinator(context, timers, settings, replyTo).start(takeover)));
  }

  private Coordinator(ActorContext<Command> context, TimerScheduler<Command> timers, JobSettings settings,
      ActorRef<TrainingOutcome> replyTo) {
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.replyTo = replyTo;
    this.resources = new JobResources(settings);
    this.roster = new WorkerRoster(this::addressOf);
    this.records = new RunRecords(context, settings);
    this.joiners = new Joiners(context, resources, roster, records);
  }

  private Behavior<Command> start(boolean takeover) throws java.io.IOException {
    var finishedElsewhere = records.prepare(takeover, resources);
    if (finishedElsewhere.isPresent()) {
      replyTo.tell(new TrainingOutcome.FinishedElsewhere(finishedElsewhere.get()));
      return Behaviors.stopped();
    }
    context.getLog().info("job {}: waiting for {} worker(s)", settings.jobId(), settings.workers());
    return form(List.of());
  }

  /** Forms a generation of the cluster (a child): the workers chosen or kept, the shards placed, everyone configured. */
  private Behavior<Command> form(List<ActorRef<WorkerProtocol.Command>> kept) {
    formation = context.spawn(JobFormation.create(new JobFormation.Setup(settings, resources, kept, roster.lostNodes(),
        this::addressOf, Cluster.get(context.getSystem()).selfMember().address(), context.getSelf(), context.messageAdapter(JobFormation.Outcome.class, FormationEnded::new))), "formation-" + resources.generation());
    return forming();
  }

  private Behavior<Command> forming() {
    return Behaviors.receive(Command.class)
        .onMessage(FormationEnded.class, this::onFormationEnded)
        .onMessage(WorkerReady.class, this::onWorkerReadyWhileForming)
        .onMessage(WorkerFailed.class, this::onWorkerFailed)
        .onMessage(MembershipChanged.class, m -> joiners.heardWhileForming(m.event()))
        .build();
  }

  /** The formation lost workers it counted on: a new generation forms, from the same checkpoint, without them. */
  private Behavior<Command> reform(JobFormation.WorkersLost lost) {
    lost.nodes().forEach(roster::nodeLost);
    lost.workers().stream().filter(roster::remove).forEach(w -> records.lostWhileForming(w, roster.members().size()));
    resources.rollBackTo(resources.resumeFrom());
    return form(roster.members());
  }

  /** The chosen workers' reports are the formation's; a joiner configured before a roll-back is configured again once it forms. */
  private Behavior<Command> onWorkerReadyWhileForming(WorkerReady ready) {
    if (roster.isBeingConfigured(ready.worker())) {
      return joiners.ready(ready, rows);
    }
    formation.tell(new JobFormation.Ready(ready));
    return Behaviors.same();
  }

  private Behavior<Command> onFormationEnded(FormationEnded ended) {
    if (ended.outcome() instanceof JobFormation.NotFormed failed) {
      return fail(failed.reason());
    } else if (ended.outcome() instanceof JobFormation.WorkersLost lost) {
      return reform(lost);
    }
    var formed = (JobFormation.Formed) ended.outcome();
    shards = formed.shards();
    rows = formed.rows();
    roster.choose(formed.workers());
    records.openMetrics(resources.resumeFrom() != null);
    records.formed(shards, formed.workers());
    if (context.getChild("membership").isEmpty()) { // the listing comes at once, then every change
      context.spawn(Membership.create(context.messageAdapter(Membership.Event.class, MembershipChanged::new)), "membership");
    }
    if (settings.rbfStage().equals("place")) {
      return runningMethod(MethodRuns.placeRbfCentres(context, settings, resources, roster.members(), rows, this::end));
    }
    if (settings.optimization().optimizer().fullBatch()) {
      return runningMethod(MethodRuns.fullBatch(context, settings, resources, roster.members(), shards, rows,
          records.metrics(), this::end));
    }
    return startGeneration();
  }

  /** While k-means or a full-batch method runs: a worker that fails or leaves fails the job. */
  private Behavior<Command> runningMethod(BehaviorBuilder<Command> run) {
    return run.onMessage(WorkerFailed.class, this::onWorkerFailed)
        .onMessage(MembershipChanged.class, m -> MembershipReaction.memberGone(m.event(), roster)
            .map(gone -> fail("worker " + gone.path() + " left the cluster during training")).orElse(Behaviors.same()))
        .build();
  }

  /** Stochastic training: a generation from the start, or from the checkpoint the job resumes (or rolled back) to. */
  private Behavior<Command> startGeneration() {
    joiners.configureAgain(shards);
    generation = context.spawn(Generation.create(resources.generationSetup(shards, rows, roster.members(), records.folder(),
        records.metrics(), totals, context.messageAdapter(GenerationReport.class, GenerationReported::new))),
        "generation-" + resources.generation());
    return joiners.listedWhileForming().flatMap(this::react).orElseGet(this::training);
  }

  private Behavior<Command> training() {
    return Behaviors.receive(Command.class)
        .onMessage(StepDone.class, done -> done.generation() == resources.generation() ? toGeneration(done) : Behaviors.same())
        .onMessage(GradientSquares.class, this::toGeneration)
        .onMessage(ChunkRefused.class, this::onChunkRefused)
        .onMessage(MicroBatchPushed.class, this::toGeneration)
        .onMessage(BatchMoments.class, this::toGeneration)
        .onMessage(GenerationReported.class, this::onGenerationReported)
        .onMessage(WorkerReady.class, ready -> joiners.ready(ready, rows))
        .onMessage(WorkerFailed.class, this::onWorkerFailed)
        .onMessage(MembershipChanged.class, m -> reactTo(m.event()))
        .build();
  }

  /** A report for the generation under way (reports of shards rolled back and replaced are dropped before). */
  private Behavior<Command> toGeneration(Command message) {
    generation.tell(new Generation.FromCluster(message));
    return Behaviors.same();
  }

  /** A shard refused one of its chunks: counted, recorded, and the step loop has that micro-batch computed again. */
  private Behavior<Command> onChunkRefused(ChunkRefused refusal) {
    return refusal.generation() == resources.generation() ? toGeneration(records.refused(refusal)) : Behaviors.same();
  }

  private Behavior<Command> onGenerationReported(GenerationReported reported) {
    var report = reported.report();
    if (report instanceof GenerationReport.PauseOver over) {
      totals = over.totals();
      joiners.admit(over.afterStep(), shards);
      generation.tell(new Generation.Resume(roster.members()));
      return Behaviors.same();
    }
    if (report instanceof GenerationReport.Ended ended) {
      totals = ended.totals();
      return end(ended.finished());
    }
    return fail(((GenerationReport.Failed) report).reason());
  }

  /** Stochastic training: a worker that left hands its share to the others, a joiner is configured, a lost shard costs a roll-back. */
  private Behavior<Command> reactTo(Membership.Event event) {
    return react(event).orElse(Behaviors.same());
  }

  /** What {@code event} changes: the behaviour that follows (a roll-back's formation), if not the same. */
  private Optional<Behavior<Command>> react(Membership.Event event) {
    for (var action : MembershipReaction.to(event, roster, shards, this::addressOf)) {
      Optional<Behavior<Command>> next = Optional.empty();
      if (action instanceof MembershipReaction.WorkerGone gone) {
        next = workerLost(gone.worker(), gone.how());
      } else if (action instanceof MembershipReaction.ShardGone gone) {
        next = Optional.of(rollBack(gone.reason()));
      } else if (action instanceof MembershipReaction.Configure joiner) {
        joiners.configure(joiner.worker(), shards);
      }
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  /**
   * A worker is gone: its micro-batches in flight go to the live workers and the shards stop
   * sending to it. The job fails when none is left, and rolls back when a shard lived on its node.
   */
  private Optional<Behavior<Command>> workerLost(ActorRef<WorkerProtocol.Command> worker, String how) {
    if (!roster.remove(worker)) {
      return Optional.empty();
    }
    var members = roster.members();
    if (members.isEmpty()) {
      return Optional.of(fail("every worker left the cluster (the last, " + worker.path() + ", " + how + ")"));
    }
    generation.tell(new Generation.WorkerLost(worker, members, how));
    if (shards.stream().anyMatch(s -> addressOf(s.shard()).equals(addressOf(worker)))) {
      return Optional.of(rollBack("worker " + worker.path() + ", whose node held a parameter-server shard, " + how));
    }
    shards.forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(members)));
    return Optional.empty();
  }

  /**
   * A parameter-server shard is lost: every shard goes back to the newest good checkpoint (or
   * the start) together, as a new generation, on the nodes still here; nothing of the steps
   * after it survives. The generation under way stops; the live workers (and the configured
   * joiners) are configured again, and a new generation trains on from there.
   */
  private Behavior<Command> rollBack(String reason) {
    dptrain.coordinator.checkpoint.Checkpoint checkpoint;
    try {
      checkpoint = records.newestGoodCheckpoint();
    } catch (java.io.IOException e) {
      return fail("cannot roll back: " + e.getMessage());
    }
    resources.rollBackTo(checkpoint);
    generation.tell(new Generation.Abandon(reason, checkpoint == null ? 0 : checkpoint.step(),
        checkpoint == null ? "the start" : "the newest checkpoint", resources.generation()));
    generation = null;
    roster.admitJoiners();
    return form(roster.members());
  }

  private Address addressOf(ActorRef<?> ref) {
    return JobResources.addressOf(ref, Cluster.get(context.getSystem()).selfMember().address());
  }

  private Behavior<Command> onWorkerFailed(WorkerFailed failed) {
    return fail("worker " + failed.worker().path().name() + ": " + failed.reason());
  }

  private Behavior<Command> fail(String reason) {
    context.getLog().error("job {} failed: {}", settings.jobId(), reason);
    return end(new TrainingOutcome.Failed(reason));
  }

  /** Ends the job with {@code outcome}: the workers stop, the summary line goes last into the metrics, then the outcome out. */
  private Behavior<Command> end(TrainingOutcome outcome) {
    roster.members().forEach(w -> w.tell(WorkerProtocol.StopWork.INSTANCE));
    if (outcome instanceof TrainingOutcome.Finished finished) {
      records.finished(finished, totals.summaryFields(new RunTotals.Summary(settings.consistency().mode().cliName(), finished.steps(),
          records.refusedCount(), resources.generation(), roster.departedCount(), settings.compression().text(),
          roster.members().size(), settings.consistency().asynchronous())));
    }
    return records.closeThenReport(outcome, replyTo, timers);
  }
}
