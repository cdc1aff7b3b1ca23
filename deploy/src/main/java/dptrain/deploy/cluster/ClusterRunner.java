package dptrain.deploy.cluster;

import dptrain.deploy.dashboard.Dashboard;
import dptrain.deploy.dashboard.DashboardOptions;
import java.util.Optional;

import akka.actor.typed.ActorSystem;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job on a local cluster: the coordinator node in this JVM, and the workers either
 * as nodes in this JVM (the first of them the coordinator's node itself) or, with
 * {@code processes}, one JVM each. Every node is its own ActorSystem on 127.0.0.1, and
 * everything between two nodes goes through real remoting.
 */
public final class ClusterRunner {
  private ClusterRunner() {}

  public static TrainingOutcome run(JobSettings settings, boolean processes, Path logDir) {
    return run(settings, new LocalCluster(processes, 1), logDir);
  }

  /** As above, with each worker node's compute lanes from {@code cluster}. */
  public static TrainingOutcome run(JobSettings settings, LocalCluster cluster, Path logDir) {
    return run(settings, cluster, logDir, DashboardOptions.none());
  }

  /** As above, with the live dashboard and /metrics served by the coordinator's node as {@code dashboard} says. */
  public static TrainingOutcome run(JobSettings settings, LocalCluster cluster, Path logDir, DashboardOptions dashboard) {
    boolean processes = cluster.processes();
    // In this JVM the coordinator's node is also the first worker node (as rank 0's host is in
    // torchrun): a one-node cluster then runs its steps without remoting at all.
    CoordinatorNode coordinator = CoordinatorNode.start(settings, "127.0.0.1", 0, List.of(),
        processes ? 0 : cluster.workersPerNode());
    Optional<Dashboard> view = serve(coordinator, settings, dashboard);
    List<ActorSystem<Void>> inJvm = new ArrayList<>();
    List<Process> children = new ArrayList<>();
    try {
      for (int i = processes ? 0 : 1; i < settings.workers(); i++) {
        if (processes) {
          children.add(startWorkerProcess(coordinator, i, cluster.workersPerNode(), logDir));
        } else {
          inJvm.add(WorkerNode.start("127.0.0.1", 0, List.of(coordinator.address()), false,
              WorkerNode.lanes(cluster.workersPerNode())));
        }
      }
      return watched(awaitOutcome(coordinator), view);
    } catch (IOException e) {
      return new TrainingOutcome.Failed("could not start a worker process: " + e.getMessage());
    } finally {
      view.ifPresent(Dashboard::close);
      // Workers leave first, while the coordinator can still acknowledge their leaving;
      // stopping every node at once only produces a burst of aborted-connection warnings.
      inJvm.forEach(ActorSystem::terminate);
      inJvm.forEach(system -> NodeTermination.await(system, NodeTermination.LIMIT));
      children.forEach(ClusterRunner::awaitOrKill);
      NodeTermination.terminate(coordinator.system());
    }
  }

  /** Runs the job with this node as the seed at host:port, for workers started on other hosts. */
  public static TrainingOutcome runWithRemoteWorkers(JobSettings settings, String host, int port) {
    return runWithRemoteWorkers(settings, host, port, List.of());
  }

  /**
   * As above; with {@code seeds}, this node is a standby coordinator that joins the cluster and
   * runs the job only if the node running it dies (then from the newest checkpoint).
   */
  public static TrainingOutcome runWithRemoteWorkers(JobSettings settings, String host, int port, List<akka.actor.Address> seeds) {
    return runWithRemoteWorkers(settings, host, port, seeds, com.typesafe.config.ConfigFactory.empty());
  }

  /** As above, with {@code transport} over the node's remoting settings (TLS, see {@code security/TransportOptions}). */
  public static TrainingOutcome runWithRemoteWorkers(JobSettings settings, String host, int port, List<akka.actor.Address> seeds,
      com.typesafe.config.Config transport) {
    return runWithRemoteWorkers(settings, host, port, seeds, transport, DashboardOptions.none());
  }

  /** As above, with the live dashboard and /metrics served as {@code dashboard} says. */
  public static TrainingOutcome runWithRemoteWorkers(JobSettings settings, String host, int port, List<akka.actor.Address> seeds,
      com.typesafe.config.Config transport, DashboardOptions dashboard) {
    CoordinatorNode coordinator = CoordinatorNode.start(settings, host, port, seeds, 0, transport);
    Optional<Dashboard> view = serve(coordinator, settings, dashboard);
    System.out.println(seeds.isEmpty()
        ? "coordinator at " + coordinator.address() + "; start workers with: dptrain worker --seed-nodes "
            + coordinator.address() + " --host <their address>"
            + (transport.hasPath("akka.remote.artery.transport")
                && transport.getString("akka.remote.artery.transport").equals("tls-tcp") ? " --tls <their folder>" : "")
        : "standby coordinator at " + coordinator.address() + ", joined " + seeds + "; it takes the job over if the "
            + "coordinator's node dies");
    try {
      return watched(awaitOutcome(coordinator), view);
    } finally {
      view.ifPresent(Dashboard::close);
      NodeTermination.terminate(coordinator.system());
    }
  }

  private static Optional<Dashboard> serve(CoordinatorNode coordinator, JobSettings settings, DashboardOptions options) {
    return settings.runDir() == null ? Optional.empty()
        : Dashboard.start(coordinator.system(), settings.runDir(), settings.jobId(), options);
  }

  /** The outcome, shown on the dashboard when it is a failure. */
  private static TrainingOutcome watched(TrainingOutcome outcome, Optional<Dashboard> view) {
    if (outcome instanceof TrainingOutcome.Failed failed) {
      view.ifPresent(d -> d.failed(failed.reason()));
    }
    return outcome;
  }

  private static TrainingOutcome awaitOutcome(CoordinatorNode coordinator) {
    try {
      return coordinator.outcome().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TrainingOutcome.Failed("interrupted");
    } catch (ExecutionException e) {
      return new TrainingOutcome.Failed(String.valueOf(e.getCause()));
    }
  }

  private static Process startWorkerProcess(CoordinatorNode coordinator, int index, int lanes, Path logDir)
      throws IOException {
    List<String> command = new java.util.ArrayList<>(ChildJvm.dptrain("1g"));
    command.addAll(List.of("worker",
        "--seed-nodes", coordinator.address().toString(),
        "--exit-when-done",
        "--workers-per-node", String.valueOf(lanes),
        "--parent-pid", String.valueOf(ProcessHandle.current().pid())));
    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(logDir.resolve("worker-" + index + ".log").toFile());
    builder.environment().putIfAbsent("OMP_NUM_THREADS", "1");
    // A worker JVM that dies is a worker that left: the Coordinator hands its work to the others.
    return builder.start();
  }

  private static void awaitOrKill(Process process) {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
