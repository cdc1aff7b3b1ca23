package dptrain.deploy.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import dptrain.coordinator.Coordinator;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.ps.ShardHost;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator node: an ActorSystem with the {@code coordinator} and {@code ps} roles that
 * forms the cluster (it is the seed node), runs the Coordinator and a shard host, and completes
 * a future with the job's outcome.
 */
public final class CoordinatorNode {
  private final ActorSystem<Void> system;
  private final CompletableFuture<TrainingOutcome> outcome;

  private CoordinatorNode(ActorSystem<Void> system, CompletableFuture<TrainingOutcome> outcome) {
    this.system = system;
    this.outcome = outcome;
  }

  public static CoordinatorNode start(JobSettings settings, String host, int port) {
    CompletableFuture<TrainingOutcome> outcome = new CompletableFuture<>();
    // The coordinator is the last node of a finished job: leaving the cluster gracefully would
    // wait (10 s) for the removal of workers that have already exited.
    ActorSystem<Void> system = ActorSystem.create(guardian(settings, outcome), NodeConfig.SYSTEM_NAME,
        NodeConfig.of(List.of("coordinator", "ps"), host, port, false)
            .withValue("akka.coordinated-shutdown.run-by-actor-system-terminate",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(false)));
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    return new CoordinatorNode(system, outcome);
  }

  private static Behavior<Void> guardian(JobSettings settings, CompletableFuture<TrainingOutcome> outcome) {
    return Behaviors.setup(context -> {
      var sink = context.spawn(Behaviors.receive(TrainingOutcome.class)
          .onAnyMessage(result -> {
            outcome.complete(result);
            return Behaviors.stopped();
          })
          .build(), "outcome");
      context.spawn(ShardHost.create(), "shard-host");
      context.spawn(Coordinator.create(settings, sink), "coordinator");
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
