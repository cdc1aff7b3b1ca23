package dptrain.deploy.bench;

import dptrain.deploy.report.Charts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain bench scaling}: one job for every layout (nodes x compute lanes per node) and
 * mode asked for, back to back in one run, so that the ratios compare on one machine state.
 * Per configuration: samples/s, the speedup and efficiency against one worker of the same mode,
 * gradient bytes per step, and the mean step's split as measured in the code path. Writes the
 * table (scaling.csv) and three charts to the output folder.
 */
@Command(name = "scaling", mixinStandardHelpOptions = true,
    description = {"Trains the job on every layout (--nodes x --workers-per-node) in every --mode, back to back,",
        "and prints samples/s, speedup and efficiency against one worker, gradient bytes per step and",
        "the mean step's split (compute, encode, decode, apply, transfer+wait, in ms; sync and backup only:",
        "async and ssp have no step to split). Writes scaling.csv,",
        "scaling-throughput.png, scaling-efficiency.png and scaling-split.png to --out."})
public final class ScalingBench implements Callable<Integer> {
  @Option(names = "--nodes", split = ",", defaultValue = "1,2", description = "Worker nodes (default ${DEFAULT-VALUE}).")
  List<Integer> nodes;

  @Option(names = "--workers-per-node", split = ",", defaultValue = "1,2",
      description = "Compute lanes per node (default ${DEFAULT-VALUE}).")
  List<Integer> lanes;

  @Option(names = "--mode", split = ",", defaultValue = "sync,async", description = "Consistency modes (default ${DEFAULT-VALUE}).")
  List<String> modes;

  @Option(names = "--data", defaultValue = "fashion-mnist", description = "Data source (default ${DEFAULT-VALUE}).")
  String data;

  @Option(names = "--model", defaultValue = "auto", description = "Model, as for train (default ${DEFAULT-VALUE}: 784-256-128-10 on Fashion-MNIST).")
  String model;

  @Option(names = "--batch", defaultValue = "128", description = "Global batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--steps", defaultValue = "1500", description = "Steps per configuration (default ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--warmup-steps", defaultValue = "1000",
      description = "Steps of a first, unreported job, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE}).")
  long warmupSteps;

  @Option(names = "--out", description = "Where the table and charts go (default runs/bench-scaling-<time>).")
  Path out;

  @Option(names = "--on", defaultValue = "threads", paramLabel = "WHERE", description = {
      "threads: every node an ActorSystem in this JVM (over real remoting); netns: a coordinator host",
      "and one network-namespace host per node, each node a JVM of its own started by 'dptrain launch'",
      "(root; sync and backup modes; the step measured over the second half of each run) (default: ${DEFAULT-VALUE})."})
  String on;

  @Option(names = "--link-latency", paramLabel = "TIME", description = "With --on netns: a relay's latency in front of every node.")
  String linkLatency;

  @Option(names = "--link-bandwidth", paramLabel = "RATE", description = "With --on netns: a relay's bandwidth in front of every node.")
  String linkBandwidth;

  private NamespaceHosts namespaces;

  /** One measured configuration. */
  record Row(String mode, int nodes, int lanes, MeasuredRun run) {
    int workers() {
      return nodes * lanes;
    }
  }

  @Override
  public Integer call() throws Exception {
    if (nodes.stream().anyMatch(n -> n < 1) || lanes.stream().anyMatch(l -> l < 1)) {
      throw new dptrain.deploy.UsageException("--nodes and --workers-per-node must be whole numbers >= 1, got " + nodes
          + " and " + lanes);
    }
    if (!List.of("threads", "netns").contains(on)) {
      throw new dptrain.deploy.UsageException("--on must be threads or netns, got '" + on + "'");
    }
    if (on.equals("threads") && (linkLatency != null || linkBandwidth != null)) {
      throw new dptrain.deploy.UsageException("--link-latency and --link-bandwidth need --on netns (a relay between hosts)");
    }
    if (on.equals("netns")) {
      if (!modes.stream().allMatch(m -> m.equals("sync") || m.equals("backup"))) {
        throw new dptrain.deploy.UsageException("--on netns measures the step of sync and backup runs, got --mode " + modes);
      }
      namespaces = NamespaceHosts.create(1 + nodes.stream().mapToInt(Integer::intValue).max().orElse(1));
      try {
        return measureAll();
      } finally {
        namespaces.close();
      }
    }
    return measureAll();
  }

  private Integer measureAll() throws Exception {
    Path folder = out != null ? out
        : Path.of("runs", "bench-scaling-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(folder);
    Path jobs = Files.createTempDirectory("dptrain-bench-scaling");
    if (warmupSteps > 0 && namespaces == null) {
      System.out.println("warming up (" + warmupSteps + " steps, 1 worker, not reported) ...");
      if (measure(jobs.resolve("warmup"), "sync", 1, 1, warmupSteps) == null) {
        return 1;
      }
    }
    System.out.println(ScalingTable.header());
    List<Row> rows = new ArrayList<>();
    for (String mode : modes) {
      for (int lane : lanes) {
        for (int node : nodes) {
          var run = measure(jobs.resolve(mode + "-" + node + "x" + lane), mode, node, lane, steps);
          if (run == null) {
            return 1;
          }
          rows.add(new Row(mode, node, lane, run));
          System.out.println(ScalingTable.line(rows.get(rows.size() - 1), ScalingTable.baseline(rows, mode)));
        }
      }
    }
    ScalingTable.writeCsv(folder.resolve("scaling.csv"), rows);
    charts(folder, rows);
    System.out.println("table and charts in " + folder.toAbsolutePath());
    return 0;
  }

  private MeasuredRun measure(Path runDir, String mode, int nodeCount, int laneCount, long stepCount) throws IOException {
    Map<String, Object> keys = new HashMap<>();
    keys.putAll(Map.of("data", data, "model", model, "batch", batch, "steps", stepCount, "mode", mode,
        "workers", nodeCount, "workers-per-node", laneCount, "run-dir", runDir.toString()));
    keys.put("eval-every", 1_000_000); // evaluated once, after the last step: training time only
    String what = mode + " " + nodeCount + "x" + laneCount;
    if (namespaces != null) {
      List<String> link = new ArrayList<>();
      if (linkLatency != null) {
        link.addAll(List.of("--link-latency", linkLatency));
      }
      if (linkBandwidth != null) {
        link.addAll(List.of("--link-bandwidth", linkBandwidth));
      }
      try {
        return namespaces.train(what + " on namespace hosts", runDir, nodeCount, laneCount, keys, link, batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return MeasuredRun.train(what, keys, batch);
  }

  private static void charts(Path folder, List<Row> rows) throws IOException {
    Map<String, List<Charts.Point>> throughput = new LinkedHashMap<>();
    Map<String, List<Charts.Point>> efficiency = new LinkedHashMap<>();
    Map<String, double[]> split = new LinkedHashMap<>();
    for (Row row : rows) {
      String line = row.mode() + ", " + row.lanes() + " lane(s) per node";
      double base = ScalingTable.baseline(rows, row.mode());
      throughput.computeIfAbsent(line, k -> new ArrayList<>()).add(new Charts.Point(row.workers(), row.run().samplesPerSecond()));
      efficiency.computeIfAbsent(line, k -> new ArrayList<>())
          .add(new Charts.Point(row.workers(), row.run().samplesPerSecond() / base / row.workers()));
      if (row.run().splitMeasured()) {
        split.put(row.mode() + " " + row.nodes() + "x" + row.lanes(), row.run().parts());
      }
    }
    Charts.lines(folder.resolve("scaling-throughput.png"), "Throughput", "workers (nodes x lanes)", "samples/s", throughput);
    Charts.lines(folder.resolve("scaling-efficiency.png"), "Efficiency against one worker", "workers (nodes x lanes)",
        "speedup / workers", efficiency);
    Charts.stackedBars(folder.resolve("scaling-split.png"), "Mean sync step split (measured in the code path)", "ms",
        MeasuredRun.PARTS, split);
  }
}
