package dptrain.deploy.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chaos run's cluster as separate processes, the way hosts run it: {@code dptrain coordinator},
 * a standby ({@code coordinator --standby}) that takes the job over if the coordinator's node
 * dies, and worker nodes that join through both. Each node listens behind a {@link WireInterceptor}
 * of its own (Artery's bind port behind, the interceptor's port the address the cluster knows), so
 * that every message to it crosses one. The job is over once both coordinators have exited.
 */
final class NodeProcesses implements ChaosCluster {
  /**
   * A step of the chaos job takes about 10 ms: 3 s of silence is a lost message, and a resend then
   * costs 3 s instead of the default 30 s.
   */
  private static final List<String> COORDINATOR_JVM = List.of("-Ddptrain.coordinator.retry-after=3s");

  private final Process coordinator;
  private final Process standby;
  private final List<Process> workers;
  private final List<WireInterceptor> interceptors;
  private final Path logs;

  private NodeProcesses(Process coordinator, Process standby, List<Process> workers, List<WireInterceptor> interceptors,
      Path logs) {
    this.coordinator = coordinator;
    this.standby = standby;
    this.workers = workers;
    this.interceptors = interceptors;
    this.logs = logs;
  }

  /** Starts the cluster for {@code trainArgs} (train's options; --processes is left out) with {@code workerCount} workers. */
  static NodeProcesses start(List<String> trainArgs, int workerCount, Path runDir) throws IOException {
    Path logs = runDir.resolveSibling(runDir.getFileName() + "-nodes");
    Files.createDirectories(logs);
    List<String> job = new ArrayList<>(trainArgs.stream().filter(a -> !a.equals("--processes")).toList());
    job.addAll(List.of("--run-dir", runDir.toString()));
    List<WireInterceptor> interceptors = new ArrayList<>();
    List<Process> started = new ArrayList<>();
    try {
      List<String> primary = listen(interceptors);
      List<String> secondary = listen(interceptors);
      String primaryAddress = "akka://dptrain@127.0.0.1:" + primary.get(1);
      String standbyAddress = "akka://dptrain@127.0.0.1:" + secondary.get(1);
      Process coordinator = ChaosCluster.start(concat(List.of("coordinator"), primary, job), logs.resolve("coordinator.log"),
          COORDINATOR_JVM);
      started.add(coordinator);
      Process standby = ChaosCluster.start(concat(List.of("coordinator", "--standby", "--seed-nodes", primaryAddress),
          secondary, job), logs.resolve("standby.log"), COORDINATOR_JVM);
      started.add(standby);
      List<Process> workers = new ArrayList<>();
      for (int i = 0; i < workerCount; i++) {
        Process worker = ChaosCluster.start(concat(List.of("worker", "--exit-when-done", "--seed-nodes", primaryAddress + ","
            + standbyAddress), listen(interceptors)), logs.resolve("worker-" + i + ".log"), List.of());
        started.add(worker);
        workers.add(worker);
      }
      return new NodeProcesses(coordinator, standby, workers, interceptors, logs);
    } catch (IOException | RuntimeException e) {
      interceptors.forEach(WireInterceptor::close);
      started.forEach(Process::destroyForcibly);
      throw e;
    }
  }

  /** A node's port options: Artery binds a free port, behind a new interceptor whose port the cluster is told. */
  private static List<String> listen(List<WireInterceptor> interceptors) throws IOException {
    int bind;
    try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      bind = probe.getLocalPort();
    }
    WireInterceptor interceptor = new WireInterceptor(new InetSocketAddress("127.0.0.1", bind));
    interceptors.add(interceptor);
    return List.of("--port", String.valueOf(interceptor.port()), "--bind-port", String.valueOf(bind));
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    List<String> all = new ArrayList<>();
    for (List<String> part : parts) {
      all.addAll(part);
    }
    return all;
  }

  @Override
  public boolean ended(long millis) throws InterruptedException {
    return coordinator.waitFor(millis, TimeUnit.MILLISECONDS) && standby.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  /** The coordinator's status when it ran the job to the end; the standby's when it took the job over. */
  @Override
  public int exitValue() {
    return coordinator.exitValue() == 0 ? 0 : standby.exitValue();
  }

  @Override
  public Path output() {
    return logs.resolve(coordinator.exitValue() == 0 ? "coordinator.log" : "standby.log");
  }

  @Override
  public List<ProcessHandle> nodes(Fault.Target target) {
    return switch (target) {
      case WORKER -> workers.stream().map(Process::toHandle).toList();
      case COORDINATOR -> List.of(coordinator.toHandle());
      case STANDBY -> List.of(standby.toHandle());
    };
  }

  @Override
  public ProcessHandle coordinator() {
    return coordinator.toHandle();
  }

  @Override
  public void meddle(long seed) {
    for (int i = 0; i < interceptors.size(); i++) {
      interceptors.get(i).meddle(seed * 31 + i);
    }
  }

  @Override
  public String meddled() {
    WireInterceptor.Counts sum = interceptors.stream().map(WireInterceptor::counts)
        .reduce(WireInterceptor.Counts.NONE, WireInterceptor.Counts::plus);
    return sum.frames() == 0 ? "" : sum.describe();
  }

  @Override
  public void end(List<ProcessHandle> alsoStarted) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>();
    workers.forEach(w -> all.add(w.toHandle()));
    all.addAll(alsoStarted);
    all.add(standby.toHandle());
    all.add(coordinator.toHandle());
    try {
      ChaosCluster.endAll(all);
    } finally {
      interceptors.forEach(WireInterceptor::close);
    }
  }
}
