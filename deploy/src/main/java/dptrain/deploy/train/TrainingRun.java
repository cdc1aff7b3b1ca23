package dptrain.deploy.train;

import dptrain.coordinator.stopping.SecondPhase;
import dptrain.protocol.job.ConsistencyMode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.ControlSettings;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.plan.Curriculum;
import dptrain.deploy.UsageException;
import dptrain.deploy.cluster.ClusterRunner;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.model.Activation;
import dptrain.worker.model.Initializer;
import dptrain.worker.model.Loss;
import dptrain.protocol.tensor.NpyFile;
import dptrain.worker.data.DataException;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.ParameterLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One {@code train} from validated options to the summary line: checks the data and the model
 * against each other, prepares the run folder, runs the cluster, writes the final parameters.
 */
public final class TrainingRun {
  private final TrainConfig options;

  public TrainingRun(TrainConfig options) {
    this.options = options;
  }

  /**
   * Prepares the job and runs it on a local cluster (in this JVM, or with --processes in child
   * JVMs); returns how it ended and prints nothing. For commands that run several jobs.
   */
  public TrainingOutcome train() {
    JobSettings settings = prepare();
    return ClusterRunner.run(settings, options.localCluster(), settings.runDir());
  }

  /**
   * As {@link #train()}, for commands whose every run must succeed: writes params.npy to the run
   * folder, as {@code train} does, and returns the finished outcome; a failure is an exception
   * that names {@code what} and the reason.
   */
  public TrainingOutcome.Finished trainToEnd(String what) {
    JobSettings settings = prepare();
    TrainingOutcome outcome = ClusterRunner.run(settings, options.localCluster(), settings.runDir());
    if (outcome instanceof TrainingOutcome.Failed failed) {
      throw new IllegalStateException(what + ": " + failed.reason());
    }
    var finished = (TrainingOutcome.Finished) outcome;
    writeParameters(settings.runDir().resolve("params.npy"), finished.parameters());
    return finished;
  }

  /** Runs the job on a cluster that {@code launcher} provides, prints, and returns the exit code. */
  public int run(java.util.function.Function<JobSettings, TrainingOutcome> launcher) {
    if (!options.rbf().equals("none") && options.rbfStage().isEmpty()) {
      return RbfLearning.run(options, config -> new TrainingRun(config).run(launcher));
    }
    JobSettings settings = prepare();
    System.out.println("run folder: " + settings.runDir().toAbsolutePath());
    TrainingOutcome outcome = launcher.apply(settings);
    if (outcome instanceof TrainingOutcome.Failed failed) {
      dptrain.deploy.report.RunReport.writeAtEnd(settings.runDir());
      System.err.println("error: training failed: " + failed.reason());
      return 1;
    }
    if (outcome instanceof TrainingOutcome.FinishedElsewhere elsewhere) {
      System.out.println("the job finished on the other coordinator node: " + elsewhere.summary());
      return 0;
    }
    var finished = (TrainingOutcome.Finished) outcome;
    writeParameters(settings.runDir().resolve("params.npy"), finished.parameters());
    writeStandardization(settings.runDir());
    if (options.exportParams() != null) {
      writeParameters(options.exportParams(), finished.parameters());
    }
    if (options.rbfStage().equals("place")) {
      System.out.println("rbf centres and widths placed: " + settings.runDir().resolve("params.npy"));
      return 0;
    }
    dptrain.deploy.report.RunReport.writeAtEnd(settings.runDir());
    if (settings.model().isPair()) {
      System.out.println(PairDistance.line(settings.model(), options.optimization().precision(), finished.parameters(),
          dptrain.worker.data.DataSource.load(options.data()).test()));
    }
    System.out.println(summary(finished));
    var stopping = options.earlyStopping();
    if (!stopping.method().equals("none") && !stopping.stopsAtTarget()) {
      System.out.println(String.format(Locale.ROOT, "early stopping 7.1: best validation_loss=%.6f after step i*=%d "
          + "(of %d run); its train_loss=%.6f", finished.validationLoss(), finished.bestStep(), finished.steps(),
          finished.trainLoss()));
      var next = SecondPhase.after(stopping, finished.bestStep(), finished.trainLoss());
      if (next.isPresent()) {
        System.out.println(next.get().announcement(options.epochs()));
        return new TrainingRun(secondPhase(next.get(), settings.runDir())).run(launcher);
      }
    }
    return 0;
  }

  /** The second phase (as {@link SecondPhase} decides it) as this command's options. */
  private TrainConfig secondPhase(SecondPhase phase, Path runDir) {
    java.util.Map<String, Object> keys = new java.util.HashMap<>();
    keys.put("early-stopping", "none");
    keys.put("run-dir", runDir.resolve(phase.folder()).toString());
    if (phase.fromBest()) {
      // 7.3 keeps the validation rows for its stopping test, and trains on them too.
      keys.put("early-stopping", phase.method());
      keys.put("train-on-validation", true);
      keys.put("stop-below", phase.stopBelow());
      keys.put("init-params", runDir.resolve("params.npy").toString());
    } else {
      keys.put("validation", 0);
      keys.put("steps", phase.steps());
    }
    keys.put("export-params", options.exportParams() == null ? "" : options.exportParams().toString());
    return options.with(keys);
  }

  /** Validates everything that depends on the data, then builds the job. */
  public JobSettings prepare() {
    TrainTestData data;
    ModelSpec model;
    try {
      data = DataSource.load(options.data());
      model = options.modelFor(data.train(), data.test());
      dptrain.worker.data.Augmentation.parse(options.data().augment(), data.train().width());
    } catch (DataException e) {
      throw new UsageException(e.getMessage());
    }
    FlatArray initial = options.initParams() == null ? null : initialParameters(model);
    try {
      options.optimization().regularization().rulesFor(new ParameterLayout(model), options.seed());
      Initializer.check(options.initialization().weights(), options.initialization().biases(), model.widths().size() - 1);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    String odd = model.isMultitask() ? null : Loss.oddPairWarning(Loss.fromName(model.loss()), Activation.fromName(model.outputActivation()));
    if (odd != null) {
      System.err.println("warning: " + odd);
    }
    if (options.optimization().optimizer().fullBatch() && model.layers().stream().anyMatch(l -> l.normalizesBatch())) {
      throw new UsageException("batch norm (bn in --model) needs a stochastic optimizer; "
          + options.optimization().optimizer().name() + " is full-batch");
    }
    if (!options.compression().none() && options.optimization().precision() != dptrain.protocol.tensor.Precision.FLOAT32) {
      throw new UsageException("--compression " + options.compression().text() + " encodes float32 gradients; it does not "
          + "combine with --dtype " + options.optimization().precision().cliName());
    }
    if (!options.compression().none() && options.optimization().optimizer().fullBatch()) {
      throw new UsageException("--compression applies to stochastic steps; " + options.optimization().optimizer().name()
          + " is full-batch");
    }
    var consistency = options.consistency();
    if (consistency.mode() != ConsistencyMode.SYNC && options.optimization().optimizer().fullBatch()) {
      throw new UsageException("--optimizer " + options.optimization().optimizer().name() + " is full-batch; --mode "
          + consistency.mode().cliName() + " needs a stochastic optimizer");
    }
    if (consistency.asynchronous() && options.optimization().regularization().clipNorm() > 0) {
      throw new UsageException("--clip-norm scales each step by the whole gradient's norm; --mode " + consistency.mode().cliName()
          + " applies each micro-batch on arrival (use --clip-value)");
    }
    boolean rbfFirst = model.widths().size() > 2 && model.activationOf(0).equals("rbf");
    if ((!options.rbf().equals("none") || !options.rbfStage().isEmpty()) && !rbfFirst) {
      throw new UsageException("--rbf " + options.rbf() + " needs a model whose first layer is K:rbf, e.g. 2-40:rbf-2");
    }
    if (options.psShards() > new ParameterLayout(model).size()) {
      throw new UsageException("--ps-shards " + options.psShards() + " exceeds the model's parameter count");
    }
    Curriculum curriculum = curriculum();
    String misfit = new DataRows(data.train().rows(), data.test().rows(),
        data.hasValidation() ? data.validation().rows() : 0).misfitFor(options.earlyStopping(), curriculum);
    if (misfit != null) {
      throw new UsageException(misfit);
    }
    Path runDir = options.runDir() != null
        ? options.runDir()
        : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
    Config defaults = ConfigFactory.load();
    int chunkFloats = defaults.getInt("dptrain.wire.max-chunk-floats");
    long frame = defaults.getBytes("akka.remote.artery.advanced.maximum-frame-size");
    // Artery drops an oversized message with no error to the sender: refuse such a setting up front.
    if (chunkFloats < 1 || (long) chunkFloats * Float.BYTES + 4096 > frame) {
      throw new UsageException("dptrain.wire.max-chunk-floats = " + chunkFloats + " does not fit Artery's maximum-frame-size of "
          + frame + " bytes (allowed: 1.." + (frame - 4096) / Float.BYTES + ")");
    }
    var control = ControlSettings.from(defaults);
    writeConfig(runDir);
    return new JobSettings("train-" + runDir.getFileName(), model, options.data(), options.optimization(),
        options.batch(), options.epochs(), options.steps(), options.shuffle(), options.workers(), options.psShards(),
        options.seed(), initial, options.initialization(), runDir, control.evalBatch(), options.evalEvery(), chunkFloats,
        control.stepTimeout(), control.readyTimeout(), control.lookahead(), options.psOnWorkers(), options.reductionGroups(),
        options.evalSteps(), options.earlyStopping(), options.rbfStage(), curriculum,
        checkpointing(runDir), control.retryAfter(), options.consistency(), options.compression(), List.of());
  }

  /** When checkpoints are written, with the options stored in them; the checkpoint to resume from, verified. */
  private dptrain.coordinator.job.Checkpointing checkpointing(Path runDir) {
    var withConfig = options.checkpointing().withConfig(options.render());
    if (options.resumeCheckpoint() == null) {
      return withConfig;
    }
    try {
      var point = ResumePoint.read(new dptrain.coordinator.checkpoint.CheckpointStore(runDir, 1), options.resumeCheckpoint());
      if (point.checkpoint().shards() != options.psShards()) {
        throw new UsageException("checkpoint " + point.file() + " keeps the optimizer state in " + point.checkpoint().shards()
            + " shard(s); resume with --ps-shards " + point.checkpoint().shards() + ", not " + options.psShards());
      }
      System.out.println("resuming from " + point.file() + " (after step " + point.checkpoint().step() + ")");
      return withConfig.resumingFrom(point.checkpoint());
    } catch (IOException e) {
      throw new UsageException("cannot read " + options.resumeCheckpoint() + ": " + e.getMessage());
    }
  }

  public static String summary(TrainingOutcome.Finished finished) {
    return String.format(Locale.ROOT, "final test_loss=%.6f test_accuracy=%s samples_per_s=%.0f%s",
        finished.testLoss(), Double.isNaN(finished.testAccuracy()) ? "nan"
            : String.format(Locale.ROOT, "%.4f", finished.testAccuracy()), finished.samplesPerSecond(),
        finished.skippedSteps() > 0 ? " skipped_steps=" + finished.skippedSteps() : "");
  }

  /** The --curriculum scores, one per training row, or null. */
  private Curriculum curriculum() {
    if (options.curriculum() == null) {
      return null;
    }
    double[] scores = readNpy(options.curriculum(), "--curriculum").toDoubles();
    if (java.util.Arrays.stream(scores).anyMatch(s -> !Double.isFinite(s))) {
      throw new UsageException("--curriculum " + options.curriculum() + " holds a score that is NaN or infinite");
    }
    return new Curriculum(scores, options.curriculumEpochs());
  }

  /** The --init-params vector at the job's precision (a float64 file is rounded for float32). */
  private FlatArray initialParameters(ModelSpec model) {
    long expected = new ParameterLayout(model).size();
    FlatArray values = readNpy(options.initParams(), "--init-params");
    if (values.length() != expected) {
      throw new UsageException("--init-params " + options.initParams() + " holds " + values.length()
          + " values; model " + model.widthsText() + " has " + expected + " parameters");
    }
    return FlatArray.of(options.optimization().precision(), values.toDoubles());
  }

  /** A .npy file an option names; one that cannot be read is bad input. */
  private static FlatArray readNpy(Path file, String option) {
    try {
      return NpyFile.read(file);
    } catch (IOException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  private void writeConfig(Path runDir) {
    try {
      Files.createDirectories(runDir);
      Files.writeString(runDir.resolve("config.conf"), options.render());
    } catch (IOException e) {
      throw new UsageException("cannot write the run folder " + runDir + ": " + e.getMessage());
    }
  }

  /** The standardisation the job was trained with, beside its parameters, for 'dptrain evaluate'. */
  private void writeStandardization(Path runDir) {
    var fitted = DataSource.load(options.data()).standardization();
    if (fitted == null) {
      return;
    }
    try {
      fitted.write(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the standardisation to " + runDir, e);
    }
  }

  private static void writeParameters(Path file, FlatArray parameters) {
    try {
      NpyFile.write(file, parameters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
