package dptrain.deploy.simulate;

import dptrain.deploy.report.Charts;
import dptrain.deploy.bench.MeasuredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator against real runs: this machine's layouts trained and simulated side by side
 * ({@code --validate}), and finished runs next to the simulation of their layout ({@code
 * --compare-runs}); each prints its table, the largest error and where the files went.
 */
final class SimulationChecks {
  /** The default job's model, as "auto" resolves it on Fashion-MNIST. */
  static final String DEFAULT_MODEL = "784-256-128-10";

  private SimulationChecks() {}

  /** This machine's layouts, trained and simulated, side by side. */
  static int validate(Costs costs, Path folder, long steps, long validateSteps, long seed) throws Exception {
    int[][] layouts = {{1, 1}, {2, 1}, {1, 2}, {2, 2}};
    Path jobs = Files.createTempDirectory("dptrain-validate");
    System.out.println("warming up (1000 steps, 1 worker, not reported) ...");
    defaultJob(jobs.resolve("warmup"), 1, 1, 128, 1000);
    StringBuilder table = new StringBuilder("| nodes x lanes | workers | measured samples/s | predicted | error | measured step ms"
        + " | predicted | measured compute | predicted | measured transfer+wait | predicted |\n| --- | --- | --- | --- | --- | --- |"
        + " --- | --- | --- | --- | --- |\n");
    System.out.print(table);
    Map<String, double[]> bars = new LinkedHashMap<>();
    double worst = 0;
    for (int[] layout : layouts) {
      MeasuredRun run = defaultJob(jobs.resolve(layout[0] + "x" + layout[1]), layout[0], layout[1], 128, validateSteps);
      if (run == null) {
        return 1;
      }
      var cluster = new ClusterModel(layout[0], layout[1], 2, true, false, SimulateCommand.parameters(DEFAULT_MODEL), 128, "sync", 2, 1, 0, 0,
          false, true, costs.machineCores(), costs.machineCapacity(), 0, 1, 49_152, seed);
      Prediction p = new StepSimulation(cluster, costs, steps).run();
      double error = (p.samplesPerSecond() - run.samplesPerSecond()) / run.samplesPerSecond();
      worst = Math.max(worst, Math.abs(error));
      String row = String.format(Locale.ROOT, "| %d x %d | %d | %,.0f | %,.0f | %+.1f%% | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |",
          layout[0], layout[1], layout[0] * layout[1], run.samplesPerSecond(), p.samplesPerSecond(), 100 * error, run.stepMs(),
          p.stepMs(), run.computeMs(), p.computeMs(), run.otherMs(), p.otherMs());
      System.out.println(row);
      table.append(row).append('\n');
      bars.put(layout[0] + "x" + layout[1] + " measured", run.parts());
      bars.put(layout[0] + "x" + layout[1] + " predicted", p.parts());
    }
    Files.writeString(folder.resolve("validation.md"), table);
    Charts.stackedBars(folder.resolve("validation-split.png"), "Sync step: measured and predicted", "ms", MeasuredRun.PARTS,
        bars);
    System.out.printf(Locale.ROOT, "largest error: %.1f%% (target: within 15%%); table and chart in %s%n", 100 * worst,
        folder.toAbsolutePath());
    return 0;
  }

  /** Each finished run next to the simulation of its layout on {@code base}'s network and machine, with its lanes. */
  static int compareRuns(Costs costs, Path folder, ClusterModel base, List<Path> runs, long steps) throws Exception {
    StringBuilder table = new StringBuilder("| run | nodes x lanes | measured step ms | predicted | measured samples/s | predicted"
        + " | error |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    System.out.print(table);
    double worst = 0;
    for (Path run : runs) {
      var measured = MeasuredSteps.of(run);
      var cluster = base.withLayout(measured.nodes(), base.lanes(), measured.shards(),
          SimulateCommand.parameters(measured.model()), measured.batch(), "sync");
      Prediction p = new StepSimulation(cluster, costs, steps).run();
      double measuredRate = measured.batch() * 1000.0 / measured.stepMs();
      double error = (p.samplesPerSecond() - measuredRate) / measuredRate;
      worst = Math.max(worst, Math.abs(error));
      String row = String.format(Locale.ROOT, "| %s | %d x %d | %.2f | %.2f | %,.0f | %,.0f | %+.1f%% |", run.getFileName(),
          measured.nodes(), base.lanes(), measured.stepMs(), p.stepMs(), measuredRate, p.samplesPerSecond(), 100 * error);
      System.out.println(row);
      table.append(row).append('\n');
    }
    Files.writeString(folder.resolve("compared-runs.md"), table);
    System.out.printf(Locale.ROOT, "largest error: %.1f%% (target: within 15%%); table in %s%n", 100 * worst,
        folder.resolve("compared-runs.md").toAbsolutePath());
    return 0;
  }

  /** The default job (Fashion-MNIST, the default model, sync), evaluated only at its end; null after printing why it failed. */
  static MeasuredRun defaultJob(Path runDir, int nodes, int lanes, int batch, long steps) throws Exception {
    Map<String, Object> keys = new HashMap<>(Map.of("data", "fashion-mnist", "model", "auto", "batch", batch, "steps", steps,
        "mode", "sync", "workers", nodes, "workers-per-node", lanes, "run-dir", runDir.toString(), "eval-every", 1_000_000));
    return MeasuredRun.train("sync " + nodes + "x" + lanes + " at " + batch + " rows", keys, batch);
  }
}
