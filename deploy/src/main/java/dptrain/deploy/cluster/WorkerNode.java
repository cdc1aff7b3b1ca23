package dptrain.deploy.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.JoinSeedNodes;
import dptrain.ps.ShardHost;
import dptrain.worker.Nd4jThreads;
import dptrain.worker.Worker;
import java.util.List;

/**
 * A worker node: an ActorSystem with the {@code worker} and {@code ps} roles that runs one
 * Worker actor and a shard host (shards placed next to the worker skip serialization).
 */
public final class WorkerNode {
  private WorkerNode() {}

  /**
   * Starts a worker node that joins the cluster through {@code seeds}. With {@code exitWhenDone}
   * the node shuts down when its job is over (a node of {@code --processes}).
   */
  public static ActorSystem<Void> start(String host, int port, List<Address> seeds, boolean exitWhenDone) {
    return start(host, port, seeds, exitWhenDone, com.typesafe.config.ConfigFactory.empty());
  }

  /** As above, with settings over the node's own (tests: {@code dptrain.worker.fault-injection}). */
  public static ActorSystem<Void> start(String host, int port, List<Address> seeds, boolean exitWhenDone,
      com.typesafe.config.Config overrides) {
    ActorSystem<Void> system = ActorSystem.create(guardian(exitWhenDone), NodeConfig.SYSTEM_NAME,
        overrides.withFallback(NodeConfig.of(List.of("worker", "ps"), host, port, exitWhenDone)));
    Cluster.get(system).manager().tell(new JoinSeedNodes(seeds));
    sayWhyWhenDowned(system);
    return system;
  }

  /** The message a node leaves in its log when the cluster removed it, in place of Akka's terse gossip warning. */
  public static final String DOWNED = "this node was removed from the cluster: the others found it unreachable (stopped, "
      + "too slow or cut off) and downed it; it stops now. Its work went to the nodes that remain; start it again to rejoin";

  /** Whether {@code system} shut down because the cluster downed it. */
  public static boolean downed(ActorSystem<?> system) {
    return akka.actor.CoordinatedShutdown.get(system).getShutdownReason()
        .filter(akka.actor.CoordinatedShutdown.clusterDowningReason()::equals).isPresent();
  }

  private static void sayWhyWhenDowned(ActorSystem<Void> system) {
    var shutdown = akka.actor.CoordinatedShutdown.get(system);
    shutdown.addTask(akka.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "say-why-downed", () -> {
      if (downed(system)) {
        system.log().warn(DOWNED);
      }
      return java.util.concurrent.CompletableFuture.completedFuture(akka.Done.done());
    });
  }

  /** The setting that gives a node {@code lanes} compute lanes (see {@link Worker#LANES}). */
  public static com.typesafe.config.Config lanes(int lanes) {
    return com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of(Worker.LANES, lanes));
  }

  /** The node's Worker actor, on the worker's own dispatcher (it never runs ND4J on Akka's). */
  static akka.actor.typed.ActorRef<dptrain.protocol.WorkerProtocol.Command> spawnWorker(akka.actor.typed.javadsl.ActorContext<?> context) {
    Nd4jThreads.apply(context.getSystem().settings().config().getInt("dptrain.worker.nd4j-threads"));
    return context.spawn(Worker.create(), "worker", DispatcherSelector.fromConfig("dptrain.worker.dispatcher"));
  }

  private static Behavior<Void> guardian(boolean exitWhenDone) {
    return Behaviors.setup(context -> {
      context.watch(spawnWorker(context));
      context.spawn(ShardHost.create(), "shard-host");
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> exitWhenDone ? Behaviors.stopped() : Behaviors.same())
          .build();
    });
  }
}
