package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.ActorContext;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.membership.Membership;
import dptrain.coordinator.membership.WorkerRoster;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.WorkerReady;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.List;
import java.util.Optional;

/**
 * Workers that join during stochastic training, for the Coordinator: each is configured for the
 * current generation, refused when it sees other data, and admitted at the next pause (no step
 * in flight), when the shards learn the new set and the next steps are cut over it.
 */
final class Joiners {
  private final ActorContext<CoordinatorProtocol.Command> context;
  private final JobResources resources;
  private final WorkerRoster roster;
  private final RunRecords records;
  private Membership.WorkersListed listedWhileForming;

  Joiners(ActorContext<CoordinatorProtocol.Command> context, JobResources resources, WorkerRoster roster, RunRecords records) {
    this.context = context;
    this.resources = resources;
    this.roster = roster;
    this.records = records;
  }

  /** A worker the job has not seen: it loads the job's data and reports ready. */
  void configure(ActorRef<WorkerProtocol.Command> worker, List<ShardAddress> shards) {
    // Debug only: the console's one line for a join is when the worker is admitted, at the next pause.
    context.getLog().debug("worker {} joined during training; configuring it", worker.path());
    worker.tell(resources.configureFor(context.getSelf(), shards));
  }

  /** While a generation forms the membership is not acted on: the newest listing of workers is kept for after. */
  Behavior<CoordinatorProtocol.Command> heardWhileForming(Membership.Event event) {
    if (event instanceof Membership.WorkersListed listed) {
      listedWhileForming = listed;
    }
    return Behaviors.same();
  }

  /** The listing heard while the generation formed (once): workers that registered meanwhile are configured from it. */
  Optional<Membership.Event> listedWhileForming() {
    Optional<Membership.Event> listed = Optional.ofNullable(listedWhileForming);
    listedWhileForming = null;
    return listed;
  }

  /**
   * A generation formed: joiners whose Configure was for an earlier one (a roll-back came while
   * they loaded) are configured for this one, or they would train against shards that are gone.
   */
  void configureAgain(List<ShardAddress> shards) {
    for (var worker : roster.beingConfigured()) {
      context.getLog().debug("worker {} was configured for an earlier generation; configuring it again", worker.path());
      worker.tell(resources.configureFor(context.getSelf(), shards));
    }
  }

  /** A joiner is configured: it waits for the next pause, unless it sees other data than the members. */
  Behavior<CoordinatorProtocol.Command> ready(WorkerReady ready, DataRows rows) {
    // An answer to an earlier generation's Configure is passed over: the one for this generation is on its way.
    if (ready.generation() == resources.generation() && roster.joinerConfigured(ready.worker()) && !rows.matches(ready)) {
      context.getLog().warn("worker {} sees other data ({} training rows, not {}); not taking it", ready.worker().path(),
          ready.trainSize(), rows.train());
      roster.refuse(ready.worker());
    }
    return Behaviors.same();
  }

  /** At the pause after {@code afterStep}: the configured joiners become members; the shards send to them too. */
  void admit(long afterStep, List<ShardAddress> shards) {
    var admitted = roster.admitJoiners();
    if (admitted.isEmpty()) {
      return;
    }
    var members = roster.members();
    context.getLog().info("worker(s) {} joined after step {}: now {} worker(s)", admitted.stream().map(w -> w.path().toString())
        .collect(java.util.stream.Collectors.joining(", ")), afterStep, members.size());
    records.event("workers_joined", "step", afterStep, "workers", members.size());
    shards.forEach(s -> s.shard().tell(new ShardProtocol.SetWorkers(members)));
  }
}
