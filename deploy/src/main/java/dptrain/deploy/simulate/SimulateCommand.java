package dptrain.deploy.simulate;

import dptrain.deploy.UsageException;
import dptrain.deploy.report.Charts;
import dptrain.deploy.relay.LinkShape;
import dptrain.protocol.job.ModelGrammar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dptrain simulate}: predicted throughput of clusters too big to own, from costs measured here. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Predicts samples/s, the step time and its split, gradient bytes per step and scaling efficiency",
        "for each --workers count, by a discrete-event simulation of dptrain's step protocol (every",
        "gradient piece, apply and parameter message on its host's CPU and links) in virtual time, from",
        "costs measured on this machine (--calibrate) and a network model (--latency, --bandwidth per",
        "host NIC, --straggler). Prints a table and draws the curves into --out.",
        "",
        "Examples:",
        "  dptrain simulate --calibrate --costs costs.conf",
        "  dptrain simulate --costs costs.conf --workers 1,2,4,64,256,1024 \\",
        "      --bandwidth 10Gbit/s --latency 50us",
        "  dptrain simulate --validate        (this machine's layouts, predicted next to measured)",
        ""})
public final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--workers", split = ",", defaultValue = "1,2,4,8,16,64,256,1024", paramLabel = "N",
      description = "Worker nodes to predict (default: ${DEFAULT-VALUE}).")
  List<Integer> workers;

  @Option(names = "--workers-per-node", defaultValue = "1", paramLabel = "K", description = "Compute lanes per node (default: ${DEFAULT-VALUE}).")
  int lanes;

  @Option(names = "--ps-shards", defaultValue = "2", paramLabel = "S", description = "Parameter-server shards (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--ps-placement", defaultValue = "workers", paramLabel = "WHERE",
      description = "workers (shard s beside worker s mod N) or coordinator (default: ${DEFAULT-VALUE}).")
  String placement;

  @Option(names = "--mode", defaultValue = "sync", description = "sync, async, ssp or backup (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(names = "--staleness", defaultValue = "2", description = "ssp's bound (default: ${DEFAULT-VALUE}).")
  int staleness;

  @Option(names = "--backups", defaultValue = "1", description = "backup mode's dropped workers per step (default: ${DEFAULT-VALUE}).")
  int backups;

  @Option(names = "--latency", defaultValue = "0us", paramLabel = "TIME", description = "One-way latency per link (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--bandwidth", paramLabel = "RATE", description = "Each host's NIC, per direction, e.g. 10Gbit/s (default: no limit).")
  String bandwidth;

  @Option(names = "--relays", description = {
      "The network is emulated by a relay in front of every node ('dptrain launch --link-latency'):",
      "its copying costs CPU on the receiving host."})
  boolean relays;

  @Option(names = "--machine", defaultValue = "hosts", paramLabel = "KIND", description = {
      "hosts: every node on a host of its own with --host-cores; shared: every node on this machine's",
      "cores (as the local simulation and namespace hosts run) (default: ${DEFAULT-VALUE})."})
  String machine;

  @Option(names = "--host-cores", paramLabel = "C", description = "Cores per host with --machine hosts (default: this machine's).")
  Integer hostCores;

  @Option(names = "--separate-coordinator", description = "The coordinator on a host of its own, as 'dptrain launch' runs it.")
  boolean separateCoordinator;

  @Option(names = "--model", defaultValue = "784-256-128-10", description = "Layer widths, as for train (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--batch", defaultValue = "128", description = "Global batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--batch-per-worker", paramLabel = "B", description = {
      "Scale the global batch with the workers: B rows per lane (weak scaling), instead of --batch",
      "split over them."})
  Integer batchPerWorker;

  @Option(names = "--straggler", paramLabel = "P:F", description = "With probability P a node's compute takes F times as long, e.g. 0.05:4.")
  String straggler;

  @Option(names = "--steps", defaultValue = "40", description = "Simulated steps per configuration, after 5 of warm-up (default: ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the stragglers' draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--costs", paramLabel = "FILE", description = "Costs from --calibrate (default: built in, measured on a 2-core machine).")
  Path costsFile;

  @Option(names = "--calibrate", description = "Measure the costs here (about a minute) and write them to --costs (default runs/simulate-costs.conf).")
  boolean calibrate;

  @Option(names = "--calibrate-steps", defaultValue = "800", description = "Steps of each calibration run (default: ${DEFAULT-VALUE}).")
  long calibrateSteps;

  @Option(names = "--validate", description = {
      "Train this machine's layouts (1x1, 2x1, 1x2 and 2x2 nodes x lanes, the default job) and print",
      "each prediction next to the measurement."})
  boolean validate;

  @Option(names = "--validate-steps", defaultValue = "1500", description = "Steps of each validation run (default: ${DEFAULT-VALUE}).")
  long validateSteps;

  @Option(names = "--compare-runs", split = ",", paramLabel = "RUN_DIR", description = {
      "Finished sync runs (from train, launch, ...) to predict with the layout of each (its workers,",
      "batch, ps-shards and model; lanes from --workers-per-node) and this command's network and",
      "machine options, printed next to each run's measured steady step (the second half of its steps)."})
  List<Path> compareRuns;

  @Option(names = "--out", description = "Where the table and charts go (default runs/simulate-<time>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path folder = out != null ? out
        : Path.of("runs", "simulate-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(folder);
    Costs costs;
    if (calibrate) {
      Path file = costsFile != null ? costsFile : Path.of("runs", "simulate-costs.conf");
      Files.createDirectories(file.toAbsolutePath().getParent());
      costs = Calibration.measure(calibrateSteps);
      costs.write(file);
      System.out.println("costs written to " + file);
    } else {
      costs = costsFile != null ? Costs.read(costsFile) : Costs.BUILT_IN;
    }
    System.out.println(costs.describe());
    if (validate) {
      return SimulationChecks.validate(costs, folder, steps, validateSteps, seed);
    }
    if (compareRuns != null) {
      return SimulationChecks.compareRuns(costs, folder, base(costs).withLayout(1, lanes, shards, 1, batch, "sync"), compareRuns,
          steps);
    }
    if (calibrate && workers.isEmpty()) {
      return 0;
    }
    predict(costs, folder);
    return 0;
  }

  private ClusterModel base(Costs costs) {
    if (!List.of("workers", "coordinator").contains(placement)) {
      throw new UsageException("--ps-placement must be workers or coordinator, got '" + placement + "'");
    }
    if (!List.of("hosts", "shared").contains(machine)) {
      throw new UsageException("--machine must be hosts or shared, got '" + machine + "'");
    }
    if (workers.stream().anyMatch(w -> w < 1) || lanes < 1 || shards < 1 || steps < 1) {
      throw new UsageException("--workers, --workers-per-node, --ps-shards and --steps must be >= 1");
    }
    double probability = 0;
    double factor = 1;
    if (straggler != null) {
      String[] parts = straggler.split(":");
      try {
        probability = Double.parseDouble(parts[0]);
        factor = Double.parseDouble(parts[1]);
      } catch (RuntimeException e) {
        throw new UsageException("--straggler takes P:F (a probability and a slow-down factor), e.g. 0.05:4, got '"
            + straggler + "'");
      }
      if (probability < 0 || probability > 1 || factor < 1) {
        throw new UsageException("--straggler needs 0 <= P <= 1 and F >= 1, got '" + straggler + "'");
      }
    }
    int cores = hostCores != null ? hostCores : costs.machineCores();
    double capacity = Math.min(cores, costs.machineCapacity() * cores / costs.machineCores());
    double bytesPerMs = bandwidth == null ? 0 : LinkShape.parseBandwidth(bandwidth) / 1000.0;
    try {
      int firstBatch = batchPerWorker != null ? Math.max(1, batchPerWorker) * workers.get(0) * lanes : batch;
      return new ClusterModel(workers.get(0), lanes, shards, placement.equals("workers"), separateCoordinator,
          parameters(model), firstBatch, mode, staleness, backups, LinkShape.parseLatency(latency).toNanos() / 1e6, bytesPerMs,
          relays, machine.equals("shared"), cores, capacity, probability, factor, 49_152, seed);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Dense layers' weights and biases. */
  static long parameters(String model) {
    List<Integer> widths = ModelGrammar.parse(model).widths();
    long total = 0;
    for (int i = 0; i + 1 < widths.size(); i++) {
      total += (long) widths.get(i) * widths.get(i + 1) + widths.get(i + 1);
    }
    return total;
  }

  private void predict(Costs costs, Path folder) throws Exception {
    ClusterModel base = base(costs);
    if (batchPerWorker != null && batchPerWorker < 1) {
      throw new UsageException("--batch-per-worker must be >= 1, got " + batchPerWorker);
    }
    System.out.printf(Locale.ROOT, "%s, %s, %d lane(s) per node, %d shard(s) on the %s, %s, %s, %s%n", mode,
        batchPerWorker != null ? batchPerWorker + " rows per lane" : "global batch " + batch, lanes, shards, placement,
        latency + " latency", bandwidth == null ? "no bandwidth limit" : bandwidth + " per NIC", machine.equals("shared")
            ? "every node on this machine's cores" : "hosts of " + base.hostCores() + " cores");
    System.out.println(header());
    List<Integer> counts = new ArrayList<>(workers);
    Map<Integer, Prediction> predictions = new LinkedHashMap<>();
    for (int nodes : counts) {
      int globalBatch = batchPerWorker != null ? batchPerWorker * nodes * lanes : batch;
      if (globalBatch < nodes * lanes) {
        System.out.println(nodes + " node(s): skipped, a batch of " + batch + " has fewer rows than " + nodes * lanes + " lanes");
        continue;
      }
      ClusterModel cluster = base.withLayout(nodes, lanes, shards, base.parameters(), globalBatch, mode);
      if (mode.equals("backup") && backups >= nodes) {
        System.out.println(nodes + " node(s): skipped, backup mode needs more nodes than --backups");
        continue;
      }
      // About 16 events per piece and node each step: a large cluster gets fewer measured steps (at least 3).
      long pieces = (long) shards * Math.max(1, cluster.parameters() / shards / cluster.maxChunkFloats() + 1);
      long affordable = Math.max(3, 30_000_000L / ((long) nodes * pieces * 16) - 5);
      Prediction p = new StepSimulation(cluster, costs, Math.min(steps, affordable)).run();
      predictions.put(nodes, p);
      double baseline = predictions.values().iterator().next().samplesPerSecond() / predictions.keySet().iterator().next();
      System.out.println(line(nodes, p, baseline));
    }
    Map<String, List<Charts.Point>> throughput = new LinkedHashMap<>();
    Map<String, List<Charts.Point>> efficiency = new LinkedHashMap<>();
    double perNode = predictions.values().iterator().next().samplesPerSecond() / predictions.keySet().iterator().next();
    predictions.forEach((nodes, p) -> {
      throughput.computeIfAbsent("predicted " + mode, k -> new ArrayList<>()).add(new Charts.Point(nodes, p.samplesPerSecond()));
      efficiency.computeIfAbsent("predicted " + mode, k -> new ArrayList<>())
          .add(new Charts.Point(nodes, p.samplesPerSecond() / perNode / nodes));
    });
    Charts.lines(folder.resolve("simulate-throughput.png"), "Predicted throughput", "worker nodes", "samples/s", throughput);
    Charts.lines(folder.resolve("simulate-efficiency.png"), "Predicted efficiency", "worker nodes", "speedup / nodes", efficiency);
    System.out.println("charts in " + folder.toAbsolutePath());
  }

  static String header() {
    return "| nodes | samples/s | speedup | efficiency | step ms | compute | encode | decode | apply | transfer+wait | gradient bytes/step crossing |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  }

  private static String line(int nodes, Prediction p, double baselinePerNode) {
    double speedup = p.samplesPerSecond() / baselinePerNode;
    return String.format(Locale.ROOT, "| %d | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %,.0f |", nodes,
        p.samplesPerSecond(), speedup, speedup / nodes, p.stepMs(), p.computeMs(), p.encodeMs(), p.decodeMs(), p.applyMs(),
        p.otherMs(), p.gradientBytesPerStep());
  }
}
