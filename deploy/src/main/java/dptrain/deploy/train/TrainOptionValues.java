package dptrain.deploy.train;

import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.deploy.UsageException;
import dptrain.protocol.job.ConsistencyMode;
import dptrain.protocol.job.Head;
import dptrain.worker.data.Standardizer;
import dptrain.worker.model.Activation;
import dptrain.worker.model.Loss;
import java.nio.file.Path;
import java.util.List;

/**
 * One training option at a time, read and checked for {@link TrainConfig}: each bad value is
 * refused with a message that names the option and what it allows.
 */
final class TrainOptionValues {
  private TrainOptionValues() {}

  static dptrain.coordinator.job.Consistency consistency(ConfigReader r) {
    var consistency = named(() -> new dptrain.coordinator.job.Consistency(ConsistencyMode.parse(r.string("mode")), (int) r.whole("staleness", 0),
        (int) r.whole("backup-workers", 1)), "");
    int workers = (int) r.whole("workers", 1);
    if (consistency.backup() && consistency.backupWorkers() >= workers) {
      throw new UsageException("--backup-workers " + consistency.backupWorkers() + " must be below --workers " + workers
          + " (a step keeps at least one micro-batch)");
    }
    if (consistency.mode() != ConsistencyMode.SYNC) {
      if (r.whole("reduction-groups", 0) > 0) {
        throw new UsageException("--reduction-groups makes sync steps repeat bit for bit; it does not combine with --mode "
            + consistency.mode().cliName());
      }
      if (r.bool("sync-batch-norm")) {
        throw new UsageException("--sync-batch-norm exchanges statistics within one sync step; it does not combine with --mode "
            + consistency.mode().cliName());
      }
    }
    return consistency;
  }

  static dptrain.coordinator.job.Checkpointing checkpointing(ConfigReader r) {
    return new dptrain.coordinator.job.Checkpointing(r.whole("checkpoint-every", 0), r.bool("checkpoint-epoch-end"),
        r.duration("checkpoint-interval"), (int) r.whole("keep-checkpoints", 1), "", null);
  }

  static String standardize(String text) {
    try {
      Standardizer.parse(text);
      return text;
    } catch (dptrain.worker.data.DataException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static String oneOf(ConfigReader r, String key, String... allowed) {
    String value = r.string(key);
    if (!java.util.Arrays.asList(allowed).contains(value)) {
      throw new UsageException("--" + key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
    return value;
  }

  /** Checks the names and numbers; whether the rows are square images is checked with the data. */
  static String augment(String text) {
    try {
      dptrain.worker.data.Augmentation.parse(text, 1 << 20);
      return text;
    } catch (dptrain.worker.data.DataException e) {
      throw new UsageException(e.getMessage());
    }
  }

  static double validation(ConfigReader r) {
    double fraction = r.number("validation");
    if (!(fraction >= 0 && fraction < 1)) {
      throw new UsageException("--validation must be a fraction in [0, 1), got " + fraction);
    }
    return fraction;
  }

  static EarlyStoppingSpec earlyStopping(ConfigReader r) {
    String method = r.string("early-stopping");
    int patience = (int) r.whole("patience", 1);
    double below = r.number("stop-below");
    if (below < 0) {
      throw new UsageException("stop-below must be a loss >= 0 (0 = off), got " + below);
    }
    EarlyStoppingSpec spec = named(() -> new EarlyStoppingSpec(method, patience, below > 0 ? below : Double.NaN), "");
    return spec;
  }

  /** Lanes for {@code auto}: one per core, at most this many (more than two were not measured faster). */
  static final int AUTO_LANES_MAX = 2;
  /**
   * ... and only where each lane gets this many rows of a node's micro-batch: 64-row lanes
   * (the default job) measured faster than one 128-row lane, 2-row lanes (XOR) half as fast as
   * one 4-row lane; the point between was not measured. Full-batch jobs ("all") take one lane.
   */
  static final int AUTO_LANE_ROWS_MIN = 32;

  static int workersPerNode(ConfigReader r) {
    String given = r.string("workers-per-node");
    if (given.equals("auto")) {
      long perNode = batch(r.string("batch")) / Math.max(1, r.whole("workers", 1)); // "all" is 0: one lane
      int byCores = Math.max(1, Math.min(AUTO_LANES_MAX, Runtime.getRuntime().availableProcessors()));
      return (int) Math.max(1, Math.min(byCores, perNode / AUTO_LANE_ROWS_MIN));
    }
    int max = dptrain.deploy.cluster.LocalCluster.MAX_LANES;
    try {
      int lanes = Integer.parseInt(given);
      if (lanes >= 1 && lanes <= max) {
        return lanes;
      }
    } catch (NumberFormatException e) {
      // refused below, with the value given
    }
    throw new UsageException("--workers-per-node must be auto or a whole number in [1, " + max + "], got '" + given + "'");
  }

  /**
   * --reduction-groups G: 0, or a multiple of the workers whose share per worker is a power of
   * two (any G for one worker). Then each worker's contiguous block of groups is a subtree of the
   * fixed pairwise order over all G, so every such worker count gives the same bits: G = 4 for
   * 1, 2 and 4 workers, G = 3 for 1 and 3, G = 6 for 3 and 6.
   */
  static int reductionGroups(int groups, int workers) {
    if (groups > 0 && (groups % workers != 0 || (workers > 1 && Integer.bitCount(groups / workers) != 1))) {
      throw new UsageException("--reduction-groups must be 0 or a multiple of --workers with a power of two per worker"
          + " (any count for one worker), got " + groups + " with --workers " + workers);
    }
    return groups;
  }

  static boolean placement(String text) {
    return switch (text) {
      case "workers" -> true;
      case "coordinator" -> false;
      default -> throw new UsageException("--ps-placement must be workers or coordinator, got '" + text + "'");
    };
  }

  /** --target-noise: a finite standard deviation >= 0, and only with a regression loss. */
  static double targetNoise(ConfigReader r, Loss loss, List<Head> heads) {
    double s = r.number("target-noise");
    if (!(s >= 0 && Double.isFinite(s))) {
      throw new UsageException("--target-noise must be a standard deviation >= 0, got " + r.string("target-noise"));
    }
    if (s > 0 && !heads.isEmpty()) {
      throw new UsageException("--target-noise is for a model with one regression loss; with --heads it is not supported");
    }
    if (s > 0 && !dptrain.protocol.job.ModelSpec.REGRESSION_LOSSES.contains(loss.cliName())) {
      throw new UsageException("--target-noise adds noise to real-valued targets: it needs --loss mse, mae or huber, got --loss "
          + loss.cliName() + " (for class targets use --label-smoothing)");
    }
    return s;
  }

  /** --label-smoothing: eps in [0, 1), and only with the ce loss. */
  static double labelSmoothing(ConfigReader r, Loss loss, List<Head> heads) {
    double eps = r.number("label-smoothing");
    if (!(eps >= 0 && eps < 1)) {
      throw new UsageException("--label-smoothing must be in [0, 1), got " + r.string("label-smoothing"));
    }
    if (!heads.isEmpty()) {
      if (eps > 0 && heads.stream().noneMatch(h -> h.loss().equals("ce"))) {
        throw new UsageException("--label-smoothing smooths class targets: it needs a ce head in --heads " + Head.text(heads));
      }
      return eps;
    }
    if (eps > 0 && loss != Loss.CE) {
      throw new UsageException("--label-smoothing smooths class targets: it needs --loss ce, got --loss " + loss.cliName());
    }
    return eps;
  }

  /**
   * --heads: "" for one loss, else at least two heads; they replace --loss and --output, so
   * those must be left at their defaults, and --targets, when given, must be the heads' columns.
   */
  static List<Head> heads(ConfigReader r, Loss loss) {
    String text = r.string("heads").trim();
    if (text.isEmpty()) {
      return List.of();
    }
    List<Head> heads = named(() -> Head.parse(text), "");
    if (loss != Loss.CE || !r.string("output").equals("auto")) {
      throw new UsageException("--heads gives each head its own loss and output; leave out --loss and --output");
    }
    long targets = r.whole("targets", 1);
    if (targets != 1 && targets != Head.targetColumns(heads)) {
      throw new UsageException("--heads " + Head.text(heads) + " reads " + Head.targetColumns(heads)
          + " target column(s), but --targets is " + targets);
    }
    return heads;
  }

  /** --sample-weights: a file, not with --heads (their losses are not weighted) or newton (its curvature is not). */
  static String sampleWeights(ConfigReader r, List<Head> heads, dptrain.coordinator.job.Optimization optimization) {
    String file = r.string("sample-weights").trim();
    if (!file.isEmpty() && !heads.isEmpty()) {
      throw new UsageException("--sample-weights weights one loss; with --heads it is not supported");
    }
    if (!file.isEmpty() && optimization.optimizer().name().equals("newton")) {
      throw new UsageException("--sample-weights with --optimizer newton is not supported (its Hessian-vector products are unweighted)");
    }
    return file;
  }

  /** --tie: a model pair's penalty, applied at the one shard that holds both networks, in sync steps. */
  static void checkTie(ConfigReader r, double tie) {
    if (tie == 0) {
      return;
    }
    if (!r.string("data").startsWith("pair:")) {
      throw new UsageException("--tie pulls two networks together: it needs a model pair, --data pair:A|B");
    }
    if (r.whole("ps-shards", 1) != 1) {
      throw new UsageException("--tie applies lambda ||W_A - W_B||^2 at the shard that holds both networks: use --ps-shards 1");
    }
    if (!r.string("mode").equals("sync")) {
      throw new UsageException("--tie takes the step's values of both networks at once: it needs --mode sync");
    }
  }

  /** A model pair: two plain networks (no heads, RBF placement, synchronised batch norm or Newton). */
  static void checkPair(dptrain.protocol.job.ModelSpec spec, String rbf, boolean syncBatchNorm) {
    if (spec.isMultitask() || !rbf.equals("none") || syncBatchNorm) {
      throw new UsageException("--data pair trains two plain networks; --heads, --rbf and --sync-batch-norm are not supported with it");
    }
  }

  static int batch(String text) {
    if (text.equals("all")) {
      return 0;
    }
    try {
      int batch = Integer.parseInt(text);
      if (batch >= 1) {
        return batch;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("--batch must be a whole number >= 1 or 'all', got '" + text + "'");
  }

  static Activation activation(String name, String option) {
    return named(() -> Activation.fromName(name), option);
  }

  static <T> T named(java.util.function.Supplier<T> lookup, String option) {
    try {
      return lookup.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException((option.isEmpty() ? "" : option + ": ") + e.getMessage());
    }
  }

  static String nonEmpty(String value, String option) {
    if (value.isEmpty()) {
      throw new UsageException(option + " must not be empty (allowed: " + dptrain.worker.data.DataSource.ALLOWED + ")");
    }
    return value;
  }

  static Path path(String value) {
    return value.isEmpty() ? null : Path.of(value);
  }
}
