package dptrain.deploy.train;

import dptrain.deploy.cluster.ClusterRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dptrain coordinator}: the coordinator node of a multi-host cluster, running one job. */
@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a training job on a real cluster: this node is the seed node (roles coordinator and",
        "ps); it waits for --workers worker nodes ('dptrain worker --seed-nodes akka://dptrain@HOST:PORT'",
        "on other hosts), trains, and writes the run folder here. Takes every option of 'train'."})
public final class CoordinatorCommand implements Callable<Integer> {
  @Mixin
  TrainOptions options;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise to the workers (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "25520", description = "Port to bind (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin
  dptrain.deploy.security.TransportOptions transport;

  @Mixin
  dptrain.deploy.dashboard.DashboardOptions dashboard;

  @Mixin
  dptrain.deploy.console.ConsoleOptions console;

  @Option(names = "--standby", description = {
      "Join the cluster at --seed-nodes as a standby coordinator: give it the same options and a run",
      "folder it shares with the coordinator; if the coordinator's node dies, the Coordinator (a cluster",
      "singleton) starts here and goes on from the newest checkpoint."})
  boolean standby;

  @Option(names = "--seed-nodes", split = ",", paramLabel = "ADDRESS",
      description = "With --standby: the cluster to join, e.g. akka://dptrain@10.0.0.1:25520.")
  java.util.List<String> seedNodes;

  @Option(names = "--expect-workers", split = ",", paramLabel = "HOST:PORT",
      description = {"The worker nodes this job waits for (dptrain launch passes its hosts file's): while it waits,",
          "and when it gives up, it names each one that has not joined and when it was last seen."})
  java.util.List<String> expectWorkers = java.util.List.of();

  @Override
  public Integer call() {
    if (standby != (seedNodes != null && !seedNodes.isEmpty())) {
      throw new dptrain.deploy.UsageException("--standby and --seed-nodes go together (a standby joins the coordinator's cluster)");
    }
    var seeds = seedNodes == null ? java.util.List.<akka.actor.Address>of()
        : seedNodes.stream().map(akka.actor.AddressFromURIString::parse).toList();
    var remoting = transport.settings(host);
    for (String node : expectWorkers) {
      if (!node.matches("\\S+:\\d{1,5}")) {
        throw new dptrain.deploy.UsageException("--expect-workers takes HOST:PORT[,HOST:PORT...], got '" + node + "'");
      }
    }
    try (var output = dptrain.deploy.console.RunConsole.open(console.mode())) {
      return new TrainingRun(options.resolve()).run(settings -> output.following(settings.runDir(),
          () -> ClusterRunner.runWithRemoteWorkers(settings.withExpectedWorkers(expectWorkers), host, port, seeds, remoting,
              dashboard)));
    }
  }
}
