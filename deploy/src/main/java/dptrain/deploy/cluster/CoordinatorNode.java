package dptrain.deploy.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dptrain.coordinator.Coordinator;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.ps.ShardHost;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator node: an ActorSystem with the {@code coordinator} and {@code ps} roles (and, in a
 * local cluster, the {@code worker} role with a Worker actor too) that runs a shard host and the
 * Coordinator as a cluster singleton (on the oldest coordinator node), and
 * completes a future with the job's outcome. The first one forms the cluster (it is the seed
 * node); a standby joins through seeds and takes the singleton over, from the run folder's newest
 * checkpoint, if the node running it dies.
 */
public final class CoordinatorNode {
  private final ActorSystem<Void> system;
  private final CompletableFuture<TrainingOutcome> outcome;

  private CoordinatorNode(ActorSystem<Void> system, CompletableFuture<TrainingOutcome> outcome) {
    this.system = system;
    this.outcome = outcome;
  }

  public static CoordinatorNode start(JobSettings settings, String host, int port) {
    return start(settings, host, port, List.of());
  }

  /** With {@code seeds}: a standby coordinator node that joins an existing cluster. */
  public static CoordinatorNode start(JobSettings settings, String host, int port, List<akka.actor.Address> seeds) {
    return start(settings, host, port, seeds, 0);
  }

  /**
   * As above; with {@code lanes} > 0 the node is also a worker node with that many compute lanes,
   * so a one-node cluster's whole step stays inside one ActorSystem.
   */
  public static CoordinatorNode start(JobSettings settings, String host, int port, List<akka.actor.Address> seeds,
      int lanes) {
    return start(settings, host, port, seeds, lanes, com.typesafe.config.ConfigFactory.empty());
  }

  /** As above, with {@code transport} over the node's remoting settings (TLS). */
  public static CoordinatorNode start(JobSettings settings, String host, int port, List<akka.actor.Address> seeds,
      int lanes, com.typesafe.config.Config transport) {
    CompletableFuture<TrainingOutcome> outcome = new CompletableFuture<>();
    boolean standby = !seeds.isEmpty();
    // The coordinator is the last node of a finished job: leaving the cluster gracefully would
    // wait (10 s) for the removal of workers that have already exited.
    boolean hostsWorker = lanes > 0;
    ActorSystem<Void> system = ActorSystem.create(guardian(settings, outcome, standby, hostsWorker), NodeConfig.SYSTEM_NAME,
        transport.withFallback(hostsWorker ? WorkerNode.lanes(lanes) : com.typesafe.config.ConfigFactory.empty())
            .withFallback(NodeConfig.of(hostsWorker ? List.of("coordinator", "worker", "ps") : List.of("coordinator", "ps"),
                host, port, false))
            .withValue("akka.coordinated-shutdown.run-by-actor-system-terminate",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(false)));
    Cluster cluster = Cluster.get(system);
    if (standby) {
      cluster.manager().tell(new akka.cluster.typed.JoinSeedNodes(seeds));
    } else {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    }
    // A node the cluster downed stops its ActorSystem with no outcome: a standby left alone when the
    // job's other nodes exit at its end (it is then the minority), or a coordinator cut off. Its
    // command says what the run folder says instead of waiting for ever.
    system.getWhenTerminated().thenRun(() -> outcome.complete(afterRemoval(settings)));
    // Said as soon as the downing's shutdown starts: the termination that follows can hang (see NodeTermination).
    akka.actor.CoordinatedShutdown.get(system).addTask(akka.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "outcome-when-downed", () -> {
          if (WorkerNode.downed(system)) {
            outcome.complete(afterRemoval(settings));
          }
          return CompletableFuture.completedFuture(akka.Done.done());
        });
    return new CoordinatorNode(system, outcome);
  }

  private static TrainingOutcome afterRemoval(JobSettings settings) {
    try {
      var finished = settings.runDir() == null ? java.util.Optional.<String>empty()
          : new dptrain.coordinator.checkpoint.RunFolder(settings.runDir(), settings.jobId(), 1).finished();
      if (finished.isPresent()) {
        return new TrainingOutcome.FinishedElsewhere(finished.get());
      }
    } catch (java.io.IOException e) {
      // unreadable: say that the job did not finish here
    }
    return new TrainingOutcome.Failed("this coordinator node was removed from the cluster (the others found it "
        + "unreachable and downed it) before the job finished; start it again to rejoin, and the job goes on from "
        + "the run folder's newest checkpoint");
  }

  private static Behavior<Void> guardian(JobSettings settings, CompletableFuture<TrainingOutcome> outcome, boolean standby,
      boolean hostsWorker) {
    return Behaviors.setup(context -> {
      var sink = context.spawn(Behaviors.receive(TrainingOutcome.class)
          .onAnyMessage(result -> {
            outcome.complete(result);
            return Behaviors.stopped();
          })
          .build(), "outcome");
      context.spawn(ShardHost.create(), "shard-host");
      if (hostsWorker) {
        WorkerNode.spawnWorker(context);
      }
      // The oldest node with the coordinator role runs it; when that node dies, the next oldest
      // (a standby) starts it again, and it goes on from the newest checkpoint.
      akka.cluster.typed.ClusterSingleton.get(context.getSystem()).init(akka.cluster.typed.SingletonActor.of(
          Coordinator.create(settings, sink, standby), "coordinator")
          .withSettings(akka.cluster.typed.ClusterSingletonSettings.create(context.getSystem()).withRole("coordinator")));
      return Behaviors.empty();
    });
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /** The address workers join through. */
  public akka.actor.Address address() {
    return Cluster.get(system).selfMember().address();
  }

  public CompletableFuture<TrainingOutcome> outcome() {
    return outcome;
  }
}
