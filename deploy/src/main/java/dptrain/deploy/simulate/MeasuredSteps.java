package dptrain.deploy.simulate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A finished run's layout (from its config.conf) and its steady step time (from the step lines
 * of metrics.jsonl: the mean over the second half of its steps, once a new JVM's JIT has
 * compiled the step path, which takes a few thousand steps). Only the synchronous modes have a step to compare.
 */
public record MeasuredSteps(int nodes, int shards, int batch, String model, double stepMs) {
  private static final String DEFAULT_MODEL = "784-256-128-10";

  public static MeasuredSteps of(Path run) throws IOException {
    Path configFile = run.resolve("config.conf");
    Path metrics = run.resolve("metrics.jsonl");
    if (!Files.isReadable(configFile) || !Files.isReadable(metrics)) {
      throw new UsageException(run + " is not a finished run folder (needs config.conf and metrics.jsonl)");
    }
    Config config = ConfigFactory.parseFile(configFile.toFile()).getConfig("dptrain.train");
    if (!List.of("sync", "backup").contains(config.getString("mode"))) {
      throw new UsageException(run + " ran in " + config.getString("mode") + " mode: only sync runs have a step to compare");
    }
    String batch = config.getString("batch");
    if (batch.equals("all")) {
      throw new UsageException(run + " trained on the full batch: compare runs with a batch size");
    }
    String model = config.getString("model");
    List<Double> elapsed = Files.readAllLines(metrics).stream().filter(l -> l.contains("\"type\":\"step\""))
        .map(l -> Double.parseDouble(l.replaceFirst(".*\"elapsed_s\":([0-9.]+).*", "$1"))).toList();
    if (elapsed.size() < 20) {
      throw new UsageException(run + " has " + elapsed.size() + " step(s): too few for a steady step time (20 at least)");
    }
    int from = elapsed.size() / 2;
    double stepMs = (elapsed.get(elapsed.size() - 1) - elapsed.get(from)) * 1000 / (elapsed.size() - 1 - from);
    return new MeasuredSteps(config.getInt("workers"), config.getInt("ps-shards"), Integer.parseInt(batch),
        model.equals("auto") ? DEFAULT_MODEL : model, stepMs);
  }
}
