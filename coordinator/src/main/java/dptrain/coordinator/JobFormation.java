package dptrain.coordinator;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.membership.Membership;
import dptrain.coordinator.membership.WorkerRollCall;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Forms one generation of the job's cluster, in three phases bounded by one deadline: waiting
 * until enough workers are listed (or going on with the workers kept after a roll-back), placing
 * the shards on the hosts they need, and configuring every worker until each has loaded the same
 * data. It reports {@link Formed} or {@link NotFormed} to the Coordinator once.
 */
final class JobFormation {
  sealed interface Command {}

  /** What its own membership child heard (the receptionist's listings come at once, then on every change). */
  private record Heard(Membership.Event event) implements Command {}

  /** A chosen worker loaded the job's data. */
  record Ready(CoordinatorProtocol.WorkerReady ready) implements Command {}

  private record PlacementEnded(ShardPlacement.Outcome outcome) implements Command {}

  private enum TimedOut implements Command {
    INSTANCE
  }

  /** Time to say, while waiting for workers, who has joined and who is missing. */
  private enum ReportWaiting implements Command {
    INSTANCE
  }


  sealed interface Outcome {}

  /** The shards are placed and the workers configured, in the order the step loop cuts batches over them. */
  record Formed(List<ShardAddress> shards, List<ActorRef<WorkerProtocol.Command>> workers, DataRows rows) implements Outcome {}

  record NotFormed(String reason) implements Outcome {}

  /**
   * Workers this formation counted on were lost before it completed (two nodes lost at once: the
   * roll-back for the first kept the second); it would have waited for them until it timed out.
   * {@code nodes}: the nodes that became unreachable.
   */
  record WorkersLost(List<ActorRef<WorkerProtocol.Command>> workers, Set<Address> nodes) implements Outcome {}

  /**
   * What to form: {@code kept} workers (after a roll-back), or none to choose from the listing;
   * the nodes known to be lost; {@code coordinator}: where workers and shards report.
   */
  record Setup(JobSettings settings, JobResources resources, List<ActorRef<WorkerProtocol.Command>> kept,
      Set<Address> lostNodes, Function<ActorRef<?>, Address> addressOf, Address selfAddress,
      ActorRef<CoordinatorProtocol.Command> coordinator, ActorRef<Outcome> replyTo) {}

  private final ActorContext<Command> context;
  private final Setup setup;
  private final Set<Address> lostNodes;
  private Set<ActorRef<WorkerProtocol.Command>> listedWorkers = Set.of();
  private Set<ActorRef<ShardHostProtocol.Command>> listedHosts = Set.of();
  private List<ActorRef<WorkerProtocol.Command>> chosen;
  private List<ShardAddress> shards;
  private final Set<ActorRef<WorkerProtocol.Command>> ready = new HashSet<>();
  private DataRows rows;
  private final TimerScheduler<Command> timers;
  private final WorkerRollCall rollCall;
  private final long startedNanos = System.nanoTime();

  static Behavior<Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new JobFormation(context, timers, setup).waitingForWorkers()));
  }

  private JobFormation(ActorContext<Command> context, TimerScheduler<Command> timers, Setup setup) {
    this.context = context;
    // Akka names an actor's logger after the caller of its first log call; a timer's is Akka's own.
    context.setLoggerName(JobFormation.class);
    this.setup = setup;
    this.lostNodes = new HashSet<>(setup.lostNodes());
    this.chosen = setup.kept();
    this.timers = timers;
    this.rollCall = new WorkerRollCall(setup.settings().workers(), setup.settings().expectedWorkers(), System::nanoTime);
    timers.startSingleTimer(TimedOut.INSTANCE, setup.settings().readyTimeout());
    if (setup.kept().isEmpty()) {
      timers.startTimerWithFixedDelay(ReportWaiting.INSTANCE,
          context.getSystem().settings().config().getDuration("dptrain.coordinator.waiting-report-every"));
    }
    context.spawn(Membership.create(context.messageAdapter(Membership.Event.class, Heard::new)), "membership");
  }

  private Behavior<Command> waitingForWorkers() {
    return Behaviors.receive(Command.class)
        .onMessage(Heard.class, heard -> hear(heard, this::placeWhenReady))
        .onMessage(ReportWaiting.class, r -> reportWaiting())
        .onMessage(TimedOut.class, t -> fail("only " + rollCall.count() + " (and " + listedHosts.size()
            + " shard host(s)) joined within " + seconds() + " s" + rollCall.names()))
        .build();
  }

  private Behavior<Command> reportWaiting() {
    long left = setup.settings().readyTimeout().toSeconds() - Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    context.getLog().info("waiting for workers: {} joined{}; giving up in {} s", rollCall.count(), rollCall.names(),
        Math.max(0, left));
    return Behaviors.same();
  }

  /** A membership change: noted; the formation ends when a worker it counts on is gone, else goes on with {@code then}. */
  private Behavior<Command> hear(Heard heard, java.util.function.Supplier<Behavior<Command>> then) {
    track(heard);
    if (chosen == null || chosen.isEmpty()) {
      return then.get();
    }
    var lost = chosen.stream().filter(w -> lostNodes.contains(setup.addressOf().apply(w))
        || (heard.event() instanceof Membership.WorkersListed && !listedWorkers.contains(w))).toList();
    if (lost.isEmpty()) {
      return then.get();
    }
    setup.replyTo().tell(new WorkersLost(lost, Set.copyOf(lostNodes)));
    return Behaviors.stopped();
  }

  private void track(Heard heard) {
    var event = heard.event();
    if (event instanceof Membership.WorkersListed listed) {
      listedWorkers = listed.workers();
      rollCall.listed(listedWorkers.stream().map(setup.addressOf())::iterator);
    } else if (event instanceof Membership.ShardHostsListed listed) {
      listedHosts = listed.hosts();
    } else if (event instanceof Membership.NodeUnreachable unreachable) {
      lostNodes.add(unreachable.node());
    }
  }

  private Behavior<Command> placeWhenReady() {
    var settings = setup.settings();
    if (setup.kept().isEmpty()) {
      if (listedWorkers.size() < settings.workers()) {
        return waitingForWorkers();
      }
      chosen = listedWorkers.stream().sorted(Comparator.comparing(ref -> ref.path().toString()))
          .limit(settings.workers()).toList();
    }
    var usable = listedHosts.stream().filter(h -> !lostNodes.contains(setup.addressOf().apply(h))).toList();
    var hosts = setup.resources().hostsFor(chosen, usable, setup.selfAddress());
    if (hosts.isEmpty()) {
      return waitingForWorkers();
    }
    timers.cancel(ReportWaiting.INSTANCE);
    context.spawn(ShardPlacement.create(setup.resources().placementPlan(hosts.get()), setup.coordinator(),
        context.messageAdapter(ShardPlacement.Outcome.class, PlacementEnded::new), settings.readyTimeout()), "shard-placement");
    return placing();
  }

  private Behavior<Command> placing() {
    return Behaviors.receive(Command.class)
        .onMessage(PlacementEnded.class, this::onPlacementEnded)
        .onMessage(TimedOut.class, t -> fail("the shards were not placed within " + seconds() + " s"))
        .onMessage(Heard.class, heard -> hear(heard, Behaviors::same))
        .build();
  }

  private Behavior<Command> onPlacementEnded(PlacementEnded ended) {
    if (ended.outcome() instanceof ShardPlacement.NotPlaced failed) {
      return fail(failed.reason());
    }
    shards = ((ShardPlacement.Placed) ended.outcome()).shards();
    String mismatch = setup.resources().resumeMismatch();
    if (mismatch != null) {
      return fail("cannot resume: " + mismatch);
    }
    chosen.forEach(w -> w.tell(setup.resources().configureFor(setup.coordinator(), shards)));
    context.getLog().info("job {}: {} worker(s), {} shard(s) on the {} node(s), {} parameters; configuring",
        setup.settings().jobId(), chosen.size(), shards.size(), setup.settings().psOnWorkers() ? "workers'" : "coordinator's",
        setup.resources().layout().size());
    return configuring();
  }

  private Behavior<Command> configuring() {
    return Behaviors.receive(Command.class)
        .onMessage(Ready.class, this::onReady)
        .onMessage(TimedOut.class, t -> fail(ready.size() + " of " + chosen.size() + " worker(s) were ready within "
            + seconds() + " s"))
        .onMessage(Heard.class, heard -> hear(heard, Behaviors::same))
        .build();
  }

  private Behavior<Command> onReady(Ready message) {
    var r = message.ready();
    if (!chosen.contains(r.worker()) || r.generation() != setup.resources().generation()) {
      // A reply to an earlier generation's Configure (a roll-back while it loaded): this one's comes after it.
      return Behaviors.same();
    }
    if (rows == null) {
      rows = DataRows.of(r);
    } else if (!rows.matches(r)) {
      return fail("workers see different data: " + rows.train() + "/" + rows.test() + " vs " + r.trainSize() + "/"
          + r.testSize() + " training/test rows");
    }
    ready.add(r.worker());
    if (!ready.containsAll(chosen)) {
      return Behaviors.same();
    }
    String misfit = rows.misfitFor(setup.settings());
    if (misfit == null) {
      misfit = setup.resources().nothingLeftAfterResume(rows);
    }
    if (misfit != null) {
      return fail(misfit);
    }
    setup.replyTo().tell(new Formed(shards, chosen, rows));
    return Behaviors.stopped();
  }

  private long seconds() {
    return setup.settings().readyTimeout().toSeconds();
  }

  private Behavior<Command> fail(String reason) {
    setup.replyTo().tell(new NotFormed(reason));
    return Behaviors.stopped();
  }
}
