package dptrain.deploy.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The nodes of one launch: the coordinator first, then, once it says where it listens, every
 * standby and worker with it as their seed; the run lasts as long as the coordinator; then the
 * workers, which end with their job, get {@code grace} to do so, and whatever is left is
 * stopped. Every node that ends early is reported with its last line.
 */
final class LaunchedCluster {
  private final RemoteShell shell;
  private final Distribution distribution;
  private final String memory;
  private final Path run;
  private final Duration grace;
  private final LinkEmulation links;
  private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
  private final List<NodeProcess> relays = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  /** {@code links}: a relay in front of every node, or null for the network as it is. */
  LaunchedCluster(RemoteShell shell, Distribution distribution, String memory, Path run, Duration grace, LinkEmulation links) {
    this.shell = shell;
    this.distribution = distribution;
    this.memory = memory;
    this.run = run;
    this.grace = grace;
    this.links = links;
  }

  /** Runs the job; returns the coordinator's exit code. */
  int run(Host coordinator, List<Host> standbys, List<Host> workers, Function<Host, List<String>> security,
      List<String> trainOptions, Duration startLimit) throws IOException, InterruptedException {
    if (links != null && !startRelays(coordinator, standbys, workers, startLimit)) {
      return 1;
    }
    NodeProcess lead = start(coordinator, "coordinator", coordinatorArgs(coordinator, List.of(), workers, security,
        trainOptions), true, line -> line.startsWith("coordinator at "));
    if (lead.awaitReady(startLimit) == null) {
      System.err.println("launch: the coordinator on " + coordinator.name() + " (" + coordinator.address() + ") did not start"
          + " within " + startLimit.toSeconds() + " s; its last line: " + lead.lastLine());
      return 1;
    }
    for (Host standby : standbys) {
      start(standby, "standby", coordinatorArgs(standby, List.of("--standby", "--seed-nodes", address(coordinator)),
          workers, security, trainOptions), false, line -> false);
    }
    String seeds = address(coordinator) + standbys.stream().map(s -> "," + address(s)).collect(Collectors.joining());
    for (Host worker : workers) {
      List<String> args = new ArrayList<>(List.of("worker", "--seed-nodes", seeds, "--host", worker.address(), "--port",
          String.valueOf(worker.port()), "--workers-per-node", String.valueOf(worker.slots()), "--exit-when-done"));
      args.addAll(security.apply(worker));
      args.addAll(relayed(worker));
      start(worker, "worker", args, false, line -> false);
    }
    System.out.println("launch: " + workers.size() + " worker(s) and " + standbys.size() + " standby node(s) started; following the"
        + " coordinator on " + coordinator.name());
    Integer code = lead.awaitExit(Duration.ofDays(365));
    if (code == null || code != 0) {
      // What each other node was doing when the job failed: which worker never got as far.
      for (NodeProcess node : nodes) {
        if (node != lead) {
          System.err.println("launch: " + node.role() + " " + node.host().name() + " (" + node.host().address() + ") "
              + (node.isAlive() ? "still running" : "ended") + "; its last line: " + node.lastLine());
        }
      }
    }
    for (NodeProcess node : nodes) {
      if (node != lead && node.awaitExit(grace) == null) {
        System.err.println("launch: " + node.role() + " " + node.host().name() + " still runs after the job; stopping it");
      }
    }
    return code == null ? 1 : code;
  }

  /** A coordinator node's command line on {@code host}: the coordinator's own, or with {@code --standby ...} a standby's. */
  private List<String> coordinatorArgs(Host host, List<String> role, List<Host> workers, Function<Host, List<String>> security,
      List<String> trainOptions) {
    List<String> args = new ArrayList<>(List.of("coordinator"));
    args.addAll(role);
    args.addAll(List.of("--host", host.address(), "--port", String.valueOf(host.port()), "--run-dir",
        run.toAbsolutePath().toString(), "--workers", String.valueOf(workers.size()), "--expect-workers",
        workers.stream().map(w -> w.address() + ":" + w.port()).collect(Collectors.joining(","))));
    args.addAll(security.apply(host));
    args.addAll(relayed(host));
    args.addAll(trainOptions);
    return args;
  }

  private List<String> relayed(Host host) {
    return links == null ? List.of() : LinkEmulation.nodeArgs(host);
  }

  /** A relay on every host, each up before any node dials it. */
  private boolean startRelays(Host coordinator, List<Host> standbys, List<Host> workers, Duration startLimit)
      throws IOException, InterruptedException {
    List<Host> hosts = new ArrayList<>(List.of(coordinator));
    hosts.addAll(standbys);
    hosts.addAll(workers);
    for (Host host : hosts) {
      NodeProcess relay = NodeProcess.start(host, "relay", shell, distribution.command("96m", links.relayArgs(host)),
          run.resolve("logs").resolve(host.name() + "-relay.log"), null, line -> line.startsWith("relay "));
      relays.add(relay);
    }
    for (NodeProcess relay : relays) {
      if (relay.awaitReady(startLimit) == null) {
        System.err.println("launch: the relay on " + relay.host().name() + " did not start within " + startLimit.toSeconds()
            + " s; its last line: " + relay.lastLine());
        return false;
      }
    }
    System.out.println("launch: a relay in front of each of " + hosts.size() + " node(s): " + links.shape().describe());
    return true;
  }

  /** The Akka address of {@code host}'s node, as seeds name it. */
  private static String address(Host host) {
    return "akka://" + dptrain.deploy.cluster.NodeConfig.SYSTEM_NAME + "@" + host.address() + ":" + host.port();
  }

  private NodeProcess start(Host host, String role, List<String> args, boolean echo, java.util.function.Predicate<String> ready)
      throws IOException {
    NodeProcess node = NodeProcess.start(host, role, shell, distribution.command(memory, args),
        run.resolve("logs").resolve(host.name() + ".log"), echo ? System.out : null, ready);
    nodes.add(node);
    node.onExit(code -> {
      if (!stopping && code != 0) {
        System.err.println("launch: " + role + " " + host.name() + " (" + host.address() + ") ended with exit code " + code
            + "; its last line: " + node.lastLine());
      }
    });
    return node;
  }

  /** Stops every node still running: TERM to each one's process group, the grace period, then KILL. */
  void stopAll() {
    stopping = true;
    List<Thread> stops = new ArrayList<>();
    List<NodeProcess> all = new ArrayList<>(nodes);
    all.addAll(relays);
    for (NodeProcess node : all) {
      Thread stop = new Thread(() -> {
        try {
          if (node.stop(grace)) {
            System.err.println("launch: " + node.role() + " " + node.host().name() + " did not end within " + grace.toSeconds()
                + " s of TERM and was killed");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "stop-" + node.host().name());
      stop.start();
      stops.add(stop);
    }
    for (Thread stop : stops) {
      try {
        stop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
