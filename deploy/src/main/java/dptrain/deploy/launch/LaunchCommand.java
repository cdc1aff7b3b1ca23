package dptrain.deploy.launch;

import dptrain.deploy.UsageException;
import dptrain.deploy.security.TransportOptions;
import dptrain.deploy.train.CoordinatorCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code dptrain launch}: a whole cluster from a hosts file, checked first, followed, and stopped cleanly. */
@Command(name = "launch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Starts the coordinator, then every standby and worker of the hosts file,",
        "over ssh or --prefix; follows the run; writes each node's output to",
        "RUN_DIR/logs/HOST.log; and stops every node at the end, on failure and on",
        "Ctrl-C (TERM to its process group, --grace, then KILL).",
        "First it checks every host at once, each within --check-timeout: reachable,",
        "Java 17, the same jar and data as here (SHA-256), the port free, a TLS",
        "folder its node accepts. Each problem is one line; nothing starts then.",
        "Options it does not know go to the coordinator, as for 'train'.",
        "",
        "Examples:",
        "  dptrain certs --hosts hosts.txt --out /opt/dptrain/certs",
        "  dptrain launch --hosts hosts.txt --tls-dir /opt/dptrain/certs --epochs 5",
        "  dptrain launch --hosts hosts.txt --tls-dir certs \\",
        "      --prefix 'ip netns exec {name}'",
        ""})
public final class LaunchCommand implements Callable<Integer> {
  /** What the launcher sets for every node itself. */
  private static final Set<String> LAUNCHER_OPTIONS = Set.of("--workers", "--host", "--port", "--run-dir", "--tls",
      "--insecure", "--standby", "--seed-nodes", "--bind-port", "--expect-workers");

  @Option(names = "--hosts", required = true, paramLabel = "FILE",
      description = "The hosts file: one 'NAME ADDRESS ROLE[,ROLE..] [slots=N] [port=P]' per line.")
  Path hostsFile;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "Where 'dptrain certs' put the hosts' folders, as each host sees it: host H uses DIR/H.")
  String tlsDir;

  @Option(names = "--insecure", description = "Run remoting unencrypted and unauthenticated (prints a warning).")
  boolean insecure;

  @Option(names = "--prefix", paramLabel = "TEMPLATE",
      description = "Reach hosts through this command instead of ssh; {name} and {address} are the host's (e.g. 'ip netns exec {name}').")
  String prefix;

  @Option(names = "--ssh-option", paramLabel = "OPTION",
      description = "An option for ssh, repeatable (e.g. --ssh-option '-i ~/.ssh/cluster' --ssh-option '-l dptrain').")
  List<String> sshOptions = new ArrayList<>();

  @Option(names = "--java", defaultValue = "java", description = "The java command on the hosts (default: ${DEFAULT-VALUE}).")
  String java;

  @Option(names = "--node-memory", defaultValue = "2g", description = "Each node's -Xmx (default: ${DEFAULT-VALUE}).")
  String nodeMemory;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "The run folder (default runs/launch-<time>): the coordinator's, and the nodes' logs here.")
  Path runDir;

  @Option(names = "--check-timeout", defaultValue = "20", paramLabel = "S", description = "Seconds each host's checks may take (default: ${DEFAULT-VALUE}).")
  int checkTimeout;

  @Option(names = "--start-timeout", defaultValue = "60", paramLabel = "S", description = "Seconds the coordinator may take to start (default: ${DEFAULT-VALUE}).")
  int startTimeout;

  @Option(names = "--grace", defaultValue = "10", paramLabel = "S", description = "Seconds a node has to end after TERM, before KILL (default: ${DEFAULT-VALUE}).")
  int grace;

  @Option(names = "--link-latency", paramLabel = "TIME", description = {
      "Emulate a slower network: a relay in front of every node delays each byte it receives by",
      "this much (e.g. 5ms); the node then listens on its port + 1000. For tests and benchmarks."})
  String linkLatency;

  @Option(names = "--link-bandwidth", paramLabel = "RATE",
      description = "With or without --link-latency: each node receives at most this rate (e.g. 100MB/s, 1Gbit/s).")
  String linkBandwidth;

  @Unmatched
  List<String> trainOptions = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    List<Host> hosts = HostsFile.read(hostsFile);
    Host coordinator = hosts.stream().filter(h -> h.has(HostRole.COORDINATOR)).findFirst().orElseThrow();
    List<Host> workers = hosts.stream().filter(h -> h.has(HostRole.WORKER) && !h.has(HostRole.COORDINATOR)).toList();
    List<Host> standbys = hosts.stream().filter(h -> h.has(HostRole.STANDBY)).toList();
    checkHosts(hosts, workers);
    checkSecurity(hosts);
    String data = checkTrainOptions().matchedOptionValue("--data", "fashion-mnist");
    RemoteShell shell = prefix == null ? RemoteShell.ssh(Math.max(1, checkTimeout / 2), sshOptions) : RemoteShell.prefix(prefix);
    Distribution distribution = Distribution.ofThisJvm(java);
    LinkEmulation links = linkEmulation();
    var problems = new Preflight(shell, distribution, DataFiles.checksums(data), this::tlsFolder,
        Duration.ofSeconds(checkTimeout), host -> links == null ? List.of(host.port())
            : List.of(host.port(), LinkEmulation.nodePort(host))).check(hosts);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> System.err.println("preflight: " + problem));
      throw new UsageException(problems.size() + " problem(s) on " + problems.stream().map(p -> p.host().name()).distinct().count()
          + " host(s); nothing was started");
    }
    Path run = runDir != null ? runDir
        : Path.of("runs", "launch-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(run.resolve("logs"));
    System.out.println("preflight: " + hosts.size() + " host(s) ready through " + shell.describe() + "; logs in "
        + run.resolve("logs"));
    var cluster = new LaunchedCluster(shell, distribution, nodeMemory, run, Duration.ofSeconds(grace), links);
    Thread stopper = new Thread(cluster::stopAll, "launch-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      return cluster.run(coordinator, standbys, workers, this::nodeSecurity, trainOptions, Duration.ofSeconds(startTimeout));
    } finally {
      cluster.stopAll();
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is running and stops the nodes.
      }
    }
  }

  private LinkEmulation linkEmulation() {
    if (linkLatency == null && linkBandwidth == null) {
      return null;
    }
    return new LinkEmulation(new dptrain.deploy.relay.LinkShape(
        linkLatency == null ? Duration.ZERO : dptrain.deploy.relay.LinkShape.parseLatency(linkLatency),
        linkBandwidth == null ? 0 : dptrain.deploy.relay.LinkShape.parseBandwidth(linkBandwidth)));
  }

  private static void checkHosts(List<Host> hosts, List<Host> workers) {
    for (Host host : hosts) {
      if (host.roles().equals(List.of(HostRole.PS))) {
        throw new UsageException("host " + host.name() + " has only the ps role: shards run on the coordinator's and the"
            + " workers' nodes (give it the worker role too)");
      }
    }
    if (workers.isEmpty()) {
      throw new UsageException("the hosts file names no worker host (a host with the worker role, other than the coordinator's)");
    }
  }

  private void checkSecurity(List<Host> hosts) {
    if (tlsDir != null && insecure) {
      throw new UsageException("--tls-dir and --insecure contradict each other: give one");
    }
    if (tlsDir == null && !insecure && !hosts.stream().allMatch(h -> TransportOptions.loopback(h.address()))) {
      throw new UsageException("a multi-host launch runs over mutual TLS: give --tls-dir DIR (from 'dptrain certs --hosts "
          + hostsFile + " --out DIR'), or --insecure to run unencrypted");
    }
    if (insecure) {
      System.err.println("WARNING: --insecure: the cluster's remoting is unencrypted and any process that reaches its ports"
          + " can join it");
    }
  }

  /** The train options, parsed as the coordinator will parse them; those the launcher sets are refused. */
  private CommandLine.ParseResult checkTrainOptions() {
    for (String option : trainOptions) {
      String name = option.split("=", 2)[0];
      if (LAUNCHER_OPTIONS.contains(name)) {
        throw new UsageException(name + " is set by the launcher from the hosts file; leave it out");
      }
    }
    try {
      return new CommandLine(new CoordinatorCommand()).parseArgs(trainOptions.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage() + " (see 'dptrain launch --help' and 'dptrain train --help')");
    }
  }

  private String tlsFolder(Host host) {
    return tlsDir == null ? null : tlsDir + "/" + host.name();
  }

  private List<String> nodeSecurity(Host host) {
    if (tlsDir != null) {
      return List.of("--tls", tlsFolder(host));
    }
    return TransportOptions.loopback(host.address()) ? List.of() : List.of("--insecure");
  }
}
