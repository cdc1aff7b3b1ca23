package dptrain.deploy.train;

import static dptrain.deploy.train.OptimizationOptions.put;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dptrain.deploy.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a training job, shared by {@code train} and {@code coordinator}; each is also a HOCON key. */
public final class TrainOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file with any of these options as keys (name without --); flags given here win.")
  Path config;

  @Option(names = "--data", paramLabel = "SOURCE", description = {
      "fashion-mnist | idx:DIR | csv:TRAIN[,TEST] | synthetic:xor|linear|spirals|spirals-small|spirals-radius (default fashion-mnist,",
      "from /usr/share/datasets/fashion-mnist or $DPTRAIN_DATA). CSV (RFC 4180 quoting; .csv.gz read as gzip):",
      "a header row (see --csv-header), targets last. autoencode:SOURCE: each row its own target. pair:A|B:",
      "a model pair, two networks of --model, one trained on A's rows and one on B's (see --tie)."})
  String data;

  @Option(names = "--targets", paramLabel = "N", description = "CSV: the last N columns are targets (default 1).")
  Integer targets;

  @Option(names = "--csv-header", paramLabel = "auto|yes|no", description = {
      "CSV: is the first row a header? auto: when one of its cells is not a number (default auto)."})
  String csvHeader;

  @Option(names = "--standardize", paramLabel = "KIND", description = {
      "Standardise the features, fitted on the training set, applied to train and test:",
      "none | zscore | minmax | zca[:EPS] (whitening; EPS default 0.01) (default none)."})
  String standardize;

  @Option(names = "--augment", paramLabel = "LIST", description = {
      "Random changes to training inputs, drawn per (seed, step, row): none, or a comma list of flip,",
      "crop:S, translate:T, cutout:C (square single-channel images), noise:S (add N(0, S^2)) and",
      "scale:S (times N(1, S^2)) for any data (default none)."})
  String augment;

  @Option(names = "--validation", paramLabel = "F", description = {
      "Hold this fraction of the training rows out for validation (seeded, stratified by class);",
      "evaluated before the test set at every evaluation (default 0 = none)."})
  Double validation;

  @Mixin
  ModelOptions modelOptions = new ModelOptions();

  @Mixin
  OptimizationOptions optimization = new OptimizationOptions();

  @Option(names = "--batch", paramLabel = "N|all", description = "Global batch size, or 'all' for full batch (default 128).")
  String batch;

  @Option(names = "--epochs", paramLabel = "N", description = "Epochs to train (default 10).")
  Integer epochs;

  @Option(names = "--steps", paramLabel = "N", description = "Train exactly this many steps instead of whole epochs.")
  Long steps;

  @Option(names = "--eval-every", paramLabel = "EPOCHS", description = "Evaluate on the test set every this many epochs (default 1), and at the end.")
  Integer evalEvery;

  @Option(names = "--eval-steps", paramLabel = "N", description = "Evaluate every N steps instead of every --eval-every epochs.")
  Long evalSteps;

  @Option(names = "--curriculum", paramLabel = "SCORES.npy", description = {
      "Curriculum learning: one score per training row (after --validation's hold-out; lower = easier);",
      "the first --curriculum-epochs epochs visit the rows from easy to hard."})
  String curriculum;

  @Option(names = "--curriculum-epochs", paramLabel = "N", description = "Epochs in curriculum order (default 1).")
  Integer curriculumEpochs;

  @Option(names = "--sample-weights", paramLabel = "WEIGHTS.npy", description = {
      "A weighted loss: one weight >= 0 per training row (after --validation's hold-out), scaled to a mean",
      "of 1; each row's training loss counts that many times (boost writes them for its members)."})
  String sampleWeights;

  @Option(names = "--early-stopping", paramLabel = "METHOD", description = {
      "Early stopping on the validation loss (needs --validation): none | 7.1 (stop after --patience",
      "evaluations without improvement, keep the best parameters) | 7.2 (then retrain from scratch on all",
      "training rows for the best step count) | 7.3 (then go on from the best parameters on all training",
      "rows until the validation loss is below the training loss at the stop) (default none)."})
  String earlyStopping;

  @Option(names = "--rbf", paramLabel = "none|2-step|3-step", description = {
      "RBF networks (a first layer K:rbf): 2-step places the centres and widths by data-parallel k-means++",
      "and Lloyd, then trains the output weights; 3-step then trains everything (default none)."})
  String rbf;

  @Option(names = "--patience", paramLabel = "P", description = "Evaluations without improvement before early stopping stops (default 5).")
  Integer patience;

  @Option(names = "--shuffle", arity = "1", paramLabel = "true|false", description = "Reshuffle every epoch, seeded (default true).")
  Boolean shuffle;

  @Option(names = "--workers", paramLabel = "N", description = "Worker nodes (default 1: measured fastest on a 2-core machine; see README).")
  Integer workers;

  @Option(names = "--ps-shards", paramLabel = "N", description = "Parameter-server shards (default 2).")
  Integer psShards;

  @Option(names = "--ps-placement", paramLabel = "workers|coordinator",
      description = "Where shards run: spread over the workers' nodes, or all on the coordinator's (default workers).")
  String psPlacement;

  @Option(names = "--mode", paramLabel = "MODE", description = {
      "Consistency: sync (each step applies the whole global batch) | async (each micro-batch applied on",
      "arrival, workers pull the newest parameters) | ssp (async within --staleness) | backup (a step",
      "closes when all but --backup-workers micro-batches are in; late ones dropped) (default sync)."})
  String mode;

  @Option(names = "--staleness", paramLabel = "S", description = "ssp: no worker more than S micro-batches ahead of the slowest (default 2).")
  Integer staleness;

  @Option(names = "--backup-workers", paramLabel = "B", description = "backup: micro-batches a step may close without (default 1).")
  Integer backupWorkers;

  @Option(names = "--compression", paramLabel = "KIND", description = {
      "Gradient compression on the wire: none | fp16 | bf16 | topk:F (the largest fraction F of each chunk,",
      "the rest kept on the worker and added to the next gradient) | threshold:T (Strom 2015: values past",
      "T sent as +-T, the rest kept as residuals) (default none). The metrics show bytes per step."})
  String compression;

  @Option(names = "--reduction-groups", paramLabel = "G",
      description = {"Sum each batch in G canonical groups so that any worker count dividing G gives",
          "bit-identical parameters (G a power of two; slower). 0 = off (default)."})
  Integer reductionGroups;

  @Option(names = "--processes", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Run each worker node in its own JVM.")
  Boolean processes;

  @Option(names = "--workers-per-node", paramLabel = "K", description = {
      "Compute lanes per worker node: each node computes its micro-batch on K threads that share",
      "its one parameter copy and sum their gradients in memory, then pushes once (default auto:",
      "one per core, at most 2, each with at least 32 of the node's rows per step)."})
  String workersPerNode;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation and shuffling (default 0).")
  Long seed;

  @Option(names = "--init-params", paramLabel = "FILE.npy", description = "Start from this flat parameter vector (float32 or float64).")
  String initParams;

  @Option(names = "--export-params", paramLabel = "FILE.npy", description = "Also write the final parameters here (float32).")
  String exportParams;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "Run folder (default runs/<timestamp>).")
  String runDir;

  @Option(names = "--checkpoint-every", paramLabel = "N", description = {
      "Write a checkpoint after every N steps (0 = not by steps; default 0). Checkpoints go to",
      "RUN_DIR/checkpoints, atomically, with a checksum; one is also written after the last step."})
  Long checkpointEvery;

  @Option(names = "--checkpoint-epoch-end", arity = "1", paramLabel = "true|false",
      description = "Write a checkpoint at the end of every epoch (default false).")
  Boolean checkpointEpochEnd;

  @Option(names = "--checkpoint-interval", paramLabel = "DURATION", description = {
      "Write a checkpoint at the first epoch end this long after the last one, e.g. 30s or 5m",
      "(0 = not by time; default 60s)."})
  String checkpointInterval;

  @Option(names = "--keep-checkpoints", paramLabel = "K", description = "Keep the newest K checkpoints (default 3).")
  Integer keepCheckpoints;

  @Option(names = "--resume", paramLabel = "RUN_DIR", description = {
      "Go on from the newest checkpoint in RUN_DIR with the options it was written with (flags given",
      "here override them, e.g. --epochs to train longer); in sync mode the result is bit for bit",
      "the uninterrupted run's. A damaged newest checkpoint is refused, naming the one before it."})
  Path resume;

  @Option(names = "--resume-checkpoint", paramLabel = "FILE", description = "With --resume: this checkpoint file instead of the newest.")
  Path resumeCheckpoint;

  /** The validated job: these flags over the --config file over the defaults. */
  public TrainConfig resolve() {
    return resolveWith(Map.of());
  }

  /** As {@link #resolve()}, with some keys set over the flags (for commands that run several jobs). */
  public TrainConfig resolveWith(Map<String, Object> overrides) {
    if (resume != null) {
      if (config != null) {
        throw new UsageException("--resume takes the options stored in the checkpoint; give changes as flags, not --config");
      }
      var chosen = ResumePoint.choose(resume, resumeCheckpoint);
      Map<String, Object> forced = new HashMap<>(overrides);
      forced.put("run-dir", resume.toString());
      forced.put("resume-checkpoint", chosen.file().toString());
      return TrainConfig.resolve(ConfigFactory.parseMap(forced, "resume").withFallback(flags()), chosen.config());
    }
    if (resumeCheckpoint != null) {
      throw new UsageException("--resume-checkpoint goes with --resume RUN_DIR");
    }
    return TrainConfig.resolve(ConfigFactory.parseMap(overrides, "command").withFallback(flags()), file());
  }

  private Config file() {
    if (config == null) {
      return ConfigFactory.empty();
    }
    if (!Files.isRegularFile(config)) {
      throw new UsageException("--config file " + config + " does not exist");
    }
    try {
      return ConfigFactory.parseFile(config.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
    } catch (com.typesafe.config.ConfigException e) {
      throw new UsageException("--config file " + config + " is not valid HOCON: " + e.getMessage());
    }
  }

  private Config flags() {
    Map<String, Object> keys = new HashMap<>();
    put(keys, "data", data);
    put(keys, "targets", targets);
    put(keys, "csv-header", csvHeader);
    put(keys, "standardize", standardize);
    modelOptions.addTo(keys);
    optimization.addTo(keys);
    put(keys, "batch", batch);
    put(keys, "epochs", epochs);
    put(keys, "steps", steps);
    put(keys, "eval-every", evalEvery);
    put(keys, "eval-steps", evalSteps);
    put(keys, "validation", validation);
    put(keys, "augment", augment);
    put(keys, "curriculum", curriculum);
    put(keys, "sample-weights", sampleWeights);
    put(keys, "curriculum-epochs", curriculumEpochs);
    put(keys, "early-stopping", earlyStopping);
    put(keys, "patience", patience);
    put(keys, "rbf", rbf);
    put(keys, "shuffle", shuffle);
    put(keys, "workers", workers);
    put(keys, "ps-shards", psShards);
    put(keys, "ps-placement", psPlacement);
    put(keys, "reduction-groups", reductionGroups);
    put(keys, "mode", mode);
    put(keys, "compression", compression);
    put(keys, "staleness", staleness);
    put(keys, "backup-workers", backupWorkers);
    put(keys, "processes", processes);
    put(keys, "workers-per-node", workersPerNode);
    put(keys, "seed", seed);
    put(keys, "init-params", initParams);
    put(keys, "export-params", exportParams);
    put(keys, "run-dir", runDir);
    put(keys, "checkpoint-every", checkpointEvery);
    put(keys, "checkpoint-epoch-end", checkpointEpochEnd);
    put(keys, "checkpoint-interval", checkpointInterval);
    put(keys, "keep-checkpoints", keepCheckpoints);
    return ConfigFactory.parseMap(keys, "command line");
  }
}
