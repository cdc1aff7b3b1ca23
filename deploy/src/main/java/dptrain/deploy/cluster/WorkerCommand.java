package dptrain.deploy.cluster;

import akka.actor.AddressFromURIString;
import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dptrain worker}: one worker node of a cluster, on this host. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Runs one worker node: joins the cluster through the seed nodes, registers with the",
        "receptionist, and computes gradients for whatever job the coordinator runs."})
public final class WorkerCommand implements Callable<Integer> {
  @Option(names = "--seed-nodes", required = true, split = ",", paramLabel = "ADDRESS",
      description = "Cluster seed nodes, e.g. akka://dptrain@10.0.0.1:25520 (the coordinator's address).")
  List<String> seedNodes;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Port to bind; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--workers-per-node", defaultValue = "1", paramLabel = "K",
      description = "Compute lanes: threads this node computes each micro-batch on (default: ${DEFAULT-VALUE}).")
  int workersPerNode;

  @Mixin
  dptrain.deploy.security.TransportOptions transport;

  @Option(names = "--exit-when-done", description = "Shut the node down when its job is over.")
  boolean exitWhenDone;

  @Option(names = "--parent-pid", hidden = true, description = "Exit when this process exits (set by --processes).")
  Long parentPid;

  @Override
  public Integer call() {
    if (parentPid != null) {
      ProcessHandle.of(parentPid).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(3)),
          () -> Runtime.getRuntime().halt(3));
    }
    var seeds = seedNodes.stream().map(AddressFromURIString::parse).toList();
    var cluster = new LocalCluster(false, workersPerNode);
    var settings = transport.settings(host).withFallback(WorkerNode.lanes(cluster.workersPerNode()));
    ActorSystem<Void> system = WorkerNode.start(host, port, seeds, exitWhenDone, settings);
    // The node runs until it shuts down (its job done, downed, or told to); then its shutdown's
    // phases run, each with its own time limit, and its termination gets NodeTermination's.
    var shutdown = akka.actor.CoordinatedShutdown.get(system);
    var stopping = new java.util.concurrent.CompletableFuture<akka.Done>();
    shutdown.addTask(akka.actor.CoordinatedShutdown.PhaseBeforeServiceUnbind(), "node-stopping", () -> {
      stopping.complete(akka.Done.done());
      return java.util.concurrent.CompletableFuture.completedFuture(akka.Done.done());
    });
    java.util.concurrent.CompletableFuture.anyOf(stopping, system.getWhenTerminated().toCompletableFuture()).join();
    try {
      shutdown.runAll(akka.actor.CoordinatedShutdown.unknownReason()).toCompletableFuture()
          .get(shutdown.totalTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // a phase that timed out was logged by Akka; the termination below is bounded all the same
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    NodeTermination.await(system, NodeTermination.LIMIT);
    // Downed: not a clean end of the node's work (the log says why).
    return WorkerNode.downed(system) ? 4 : 0;
  }
}
