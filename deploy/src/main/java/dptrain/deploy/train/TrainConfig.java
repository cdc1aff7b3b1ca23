package dptrain.deploy.train;

import static dptrain.deploy.train.TrainOptionValues.activation;
import static dptrain.deploy.train.TrainOptionValues.augment;
import static dptrain.deploy.train.TrainOptionValues.named;
import static dptrain.deploy.train.TrainOptionValues.nonEmpty;
import static dptrain.deploy.train.TrainOptionValues.oneOf;
import static dptrain.deploy.train.TrainOptionValues.path;
import static dptrain.deploy.train.TrainOptionValues.placement;
import static dptrain.deploy.train.TrainOptionValues.standardize;
import static dptrain.deploy.train.TrainOptionValues.validation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.coordinator.job.Initialization;
import dptrain.coordinator.job.Optimization;
import dptrain.deploy.UsageException;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.Head;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import dptrain.worker.data.ModelDataFit;
import dptrain.worker.model.Activation;
import dptrain.worker.model.HiddenUnits;
import dptrain.worker.model.ParameterLayout;
import dptrain.worker.model.Loss;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated options of one {@code dptrain train}: read from HOCON (flags over a
 * {@code --config} file over the defaults in reference.conf). Every bad value is refused here,
 * before any cluster starts, with a message naming the option and what it allows.
 */
public record TrainConfig(
    Config source,
    DataSpec data,
    String model,
    Activation hidden,
    String output,
    Loss loss,
    List<Head> heads,
    Optimization optimization,
    Initialization initialization,
    int batch,
    int epochs,
    int evalEvery,
    long evalSteps,
    EarlyStoppingSpec earlyStopping,
    String rbf,
    String rbfStage,
    Path curriculum,
    int curriculumEpochs,
    boolean syncBatchNorm,
    double labelSmoothing,
    double targetNoise,
    long steps,
    boolean shuffle,
    int workers,
    int psShards,
    boolean psOnWorkers,
    int reductionGroups,
    boolean processes,
    int workersPerNode,
    long seed,
    Path initParams,
    Path exportParams,
    Path runDir,
    dptrain.coordinator.job.Checkpointing checkpointing,
    Path resumeCheckpoint,
    dptrain.coordinator.job.Consistency consistency,
    dptrain.protocol.job.CompressionSpec compression) {

  public static final String PATH = "dptrain.train";

  /** The job these keys (as in reference.conf) describe, over the defaults. */
  public static TrainConfig fromKeys(java.util.Map<String, ?> keys) {
    return resolve(ConfigFactory.parseMap(keys, "keys"), ConfigFactory.empty());
  }

  /** Merges flags (already as keys) over a config file over the defaults, and validates. */
  public static TrainConfig resolve(Config flags, Config file) {
    Config defaults = ConfigFactory.load().getConfig(PATH);
    Config fromFile = file.hasPath(PATH) ? file.getConfig(PATH) : file;
    for (var entry : fromFile.entrySet()) {
      if (!defaults.hasPath(entry.getKey())) {
        throw new UsageException("unknown key '" + entry.getKey() + "' in the config file (allowed: "
            + String.join(", ", defaults.root().keySet().stream().sorted().toList()) + ")");
      }
    }
    return from(flags.withFallback(fromFile).withFallback(defaults).resolve());
  }

  static TrainConfig from(Config c) {
    ConfigReader r = new ConfigReader(c);
    Activation hidden = activation(r.string("activation"), "--activation");
    if (!hidden.isHiddenCapable()) {
      throw new UsageException("--activation " + hidden.cliName() + " is an output activation (allowed for hidden layers: every other one of "
          + Activation.ALLOWED + ")");
    }
    Loss loss = named(() -> Loss.fromName(r.string("loss")), "--loss");
    String output = r.string("output");
    if (!output.equals("auto")) {
      Activation out = activation(output, "--output");
      if (!loss.fitsOutput(out)) {
        throw new UsageException("--loss " + loss.cliName() + " is fused with --output " + loss.fusedOutput().cliName()
            + ", got --output " + out.cliName());
      }
    }
    List<Head> heads = TrainOptionValues.heads(r, loss);
    Optimization optimization = OptimizationConfig.read(r);
    TrainOptionValues.checkTie(r, optimization.regularization().tie());
    String model = modelText(c);
    List<String> inits = List.of(r.string("init").split(","));
    if (!model.equals("auto")) {
      inits = layerInits(grammar(model).inits(), inits);
    }
    return new TrainConfig(c,
        new DataSpec(nonEmpty(r.string("data"), "--data"), heads.isEmpty() ? (int) r.whole("targets", 1) : Head.targetColumns(heads),
            r.whole("seed", Long.MIN_VALUE),
            standardize(r.string("standardize")), validation(r), r.bool("train-on-validation"),
            (int) r.whole("bootstrap", 0), augment(r.string("augment")), oneOf(r, "csv-header", "auto", "yes", "no"),
            TrainOptionValues.sampleWeights(r, heads, optimization)),
        model, hidden, output, loss, heads, optimization,
        new Initialization(inits, List.of(r.string("bias-init").split(","))), TrainOptionValues.batch(r.string("batch")), (int) r.whole("epochs", 1),
        (int) r.whole("eval-every", 1), r.whole("eval-steps", 0), TrainOptionValues.earlyStopping(r), oneOf(r, "rbf", "none", "2-step", "3-step"),
        oneOf(r, "rbf-stage", "", "place", "output"), path(r.string("curriculum")), (int) r.whole("curriculum-epochs", 1),
        r.bool("sync-batch-norm"), TrainOptionValues.labelSmoothing(r, loss, heads),
        TrainOptionValues.targetNoise(r, loss, heads),
        r.whole("steps", 0), r.bool("shuffle"), (int) r.whole("workers", 1), (int) r.whole("ps-shards", 1),
        placement(r.string("ps-placement")), TrainOptionValues.reductionGroups((int) r.whole("reduction-groups", 0), (int) r.whole("workers", 1)),
        r.bool("processes"), TrainOptionValues.workersPerNode(r), r.whole("seed", Long.MIN_VALUE), path(r.string("init-params")),
        path(r.string("export-params")), path(r.string("run-dir")), TrainOptionValues.checkpointing(r), path(r.string("resume-checkpoint")),
        TrainOptionValues.consistency(r), named(() -> dptrain.protocol.job.CompressionSpec.parse(r.string("compression")), ""));
  }

  /** How the local cluster runs its worker nodes: in this JVM or one JVM each, and each node's compute lanes. */
  public dptrain.deploy.cluster.LocalCluster localCluster() {
    return new dptrain.deploy.cluster.LocalCluster(processes, workersPerNode);
  }

  /** The network for this data: the given widths, or {@code auto} ones; checked against the data. */
  public ModelSpec modelFor(Dataset train, Dataset test) {
    String out = output.equals("auto") ? loss.defaultOutput().cliName() : output;
    ModelSpec spec;
    if (model.equals("auto")) {
      int outputs = heads.isEmpty() ? autoOutputs(train) : Head.outputs(heads);
      spec = new ModelSpec(List.of(train.width(), 256, 128, outputs), hidden.cliName(), out, loss.cliName());
    } else {
      ModelGrammar.Layers layers = grammar(model);
      if (!layers.outputActivation().isEmpty() && !heads.isEmpty()) {
        throw new UsageException("--heads gives each head its output activation; the last layer of --model takes none");
      }
      if (!layers.outputActivation().isEmpty()) {
        out = activation(layers.outputActivation(), "--model").cliName();
      }
      for (int l = 0; l + 1 < layers.layers().size(); l++) {
        String own = layers.layers().get(l).activation();
        if (!own.isEmpty()) {
          named(() -> HiddenUnits.parse(own), "--model");
        }
      }
      spec = new ModelSpec(layers.widths(), hidden.cliName(), out, loss.cliName(), layers.layers());
      ModelSpec built = spec;
      named(() -> new ParameterLayout(built), "--model");
    }
    ModelSpec trunk = spec;
    spec = named(() -> trunk.withHeads(heads), "");
    if (train.isPair()) {
      TrainOptionValues.checkPair(spec, rbf, syncBatchNorm);
      spec = spec.withCopies(2);
    }
    if (heads.isEmpty() && loss.fusedOutput() != null && !loss.fusedOutput().cliName().equals(out)) {
      throw new UsageException("--loss " + loss.cliName() + " is fused with the " + loss.fusedOutput().cliName()
          + " output, but --model asks for " + out);
    }
    ModelDataFit.check(spec, train, "training");
    ModelDataFit.check(spec, test, "test");
    if (syncBatchNorm) {
      if (spec.layers().stream().noneMatch(l -> l.normalizesBatch())) {
        throw new UsageException("--sync-batch-norm needs a batch-norm layer in --model (e.g. 784-256-bn-10)");
      }
      if (reductionGroups > 0) {
        throw new UsageException("--sync-batch-norm takes the whole global batch's statistics; it does not combine with "
            + "--reduction-groups (whose groups each normalize alone)");
      }
    }
    if (optimization.optimizer().name().equals("newton")) {
      String why = dptrain.worker.model.HessianVector.unsupported(spec);
      if (why != null) {
        throw new UsageException("--optimizer newton: " + why);
      }
      long size = new ParameterLayout(spec).size();
      if (optimization.optimizer().get("exact-hessian") != 0 && size > 4096) {
        throw new UsageException("--exact-hessian holds the whole Hessian: at most 4096 parameters, this model has " + size
            + " (leave it out for CG on Hessian-vector products)");
      }
    }
    return spec.withSyncBatchNorm(syncBatchNorm).withLabelSmoothing(labelSmoothing).withTargetNoise(targetNoise);
  }

  /** {@code model} as a string, or as a HOCON list of layers joined by '-' ({@code model = [784, "512:relu", bn, 10]}). */
  private static String modelText(Config c) {
    if (c.getValue("model").valueType() == com.typesafe.config.ConfigValueType.LIST) {
      return String.join("-", c.getList("model").stream().map(v -> String.valueOf(v.unwrapped()).trim()).toList());
    }
    return new ConfigReader(c).string("model");
  }

  /** Per dense layer: the scheme the --model grammar gives it, else the one --init gives (one for all, or its own). */
  private static List<String> layerInits(List<String> fromModel, List<String> fromOption) {
    if (fromModel.stream().allMatch(String::isEmpty)) {
      return fromOption;
    }
    if (fromOption.size() != 1 && fromOption.size() != fromModel.size()) {
      throw new UsageException("--init gives " + fromOption.size() + " schemes; the model has " + fromModel.size()
          + " layers (give one, or one per layer)");
    }
    List<String> each = new ArrayList<>();
    for (int l = 0; l < fromModel.size(); l++) {
      String own = fromModel.get(l);
      each.add(!own.isEmpty() ? own : fromOption.get(fromOption.size() == 1 ? 0 : l).trim());
    }
    return each;
  }

  /** The options as HOCON, for the run folder. */
  public String render() {
    return ConfigFactory.empty().withValue(PATH, source.root()).root()
        .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
  }

  private int autoOutputs(Dataset train) {
    if (!train.isClassification()) {
      return train.targetWidth();
    }
    int classes = train.maxLabel() + 1;
    return loss == Loss.CE ? Math.max(2, classes) : (classes <= 2 ? 1 : classes);
  }

  static ModelGrammar.Layers grammar(String model) {
    try {
      return ModelGrammar.parse(model);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** This job with some keys changed (as in reference.conf), validated again. */
  public TrainConfig with(java.util.Map<String, ?> keys) {
    return from(ConfigFactory.parseMap(keys, "derived").withFallback(source).resolve());
  }

}
