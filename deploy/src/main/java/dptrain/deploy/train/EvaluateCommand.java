package dptrain.deploy.train;

import com.typesafe.config.ConfigFactory;
import dptrain.deploy.UsageException;
import dptrain.deploy.report.ConfusionMatrix;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import dptrain.worker.data.FittedStandardization;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.PredictedClass;
import dptrain.worker.model.ParameterViews;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain evaluate}: a trained run's parameters on a test set, outside the cluster. It
 * reads the run folder's config.conf, params.npy and the standardisation saved there, applies
 * that standardisation (not a new fit) to the raw test rows, and prints loss and accuracy;
 * with {@code --predict} also each row's outputs.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Evaluates a run's parameters on the test set of its data (or of --data), applying the",
        "standardisation saved with the run. For classes it also prints each class's precision, recall and F1 and",
        "draws the confusion matrix into RUN_DIR/confusion-matrix.png. Exit codes: 0 done, 2 bad input.",
        "", "Example: dptrain evaluate runs/20261201-120000-000"})
public final class EvaluateCommand implements Callable<Integer> {
  @picocli.CommandLine.Parameters(arity = "0..1", paramLabel = "RUN_DIR", description = "The run folder (config.conf, params.npy).")
  Path positionalRunDir;

  @Option(names = "--run-dir", paramLabel = "DIR", description = "The run folder, as RUN_DIR.")
  Path runDir;

  @Option(names = "--params", paramLabel = "FILE.npy", description = "Other parameters of the same model (default <run-dir>/params.npy).")
  Path params;

  @Option(names = "--data", paramLabel = "SOURCE", description = "Evaluate on this source's test set instead (same features).")
  String data;

  @Option(names = "--predict", paramLabel = "OUT.csv", description = "Also write each test row's outputs (and predicted class).")
  Path predict;

  /**
   * Mean loss and accuracy (NaN for regression) over the test rows; for classes, their confusion
   * matrix (else null); for a multitask model each head's own mean loss (else empty).
   */
  public record Score(double loss, double accuracy, long rows, ConfusionMatrix confusion, java.util.List<HeadScore> heads) {}

  /** One head of a multitask model: as --heads names it, and its unweighted mean test loss. */
  public record HeadScore(String head, double loss) {}

  @Override
  public Integer call() throws Exception {
    if ((positionalRunDir == null) == (runDir == null)) {
      throw new UsageException("name the run folder once: dptrain evaluate RUN_DIR (or --run-dir DIR)");
    }
    Path folder = runDir != null ? runDir : positionalRunDir;
    Score score = evaluate(folder, params, data, predict);
    System.out.println(String.format(Locale.ROOT, "test_loss=%.6f test_accuracy=%s rows=%d", score.loss(),
        Double.isNaN(score.accuracy()) ? "nan" : String.format(Locale.ROOT, "%.4f", score.accuracy()), score.rows()));
    for (HeadScore head : score.heads()) {
      System.out.println(String.format(Locale.ROOT, "head %s test_loss=%.6f", head.head(), head.loss()));
    }
    if (score.confusion() != null) {
      System.out.print(score.confusion().table());
      Path png = folder.resolve("confusion-matrix.png");
      score.confusion().drawPng(png, "Confusion matrix on " + score.rows() + " test rows");
      System.out.println("confusion matrix: " + png);
    }
    return 0;
  }

  public static Score evaluate(Path runDir, Path params, String data, Path predict) throws IOException {
    TrainConfig config = trainedWith(runDir);
    DataSpec trained = config.data();
    DataSpec raw = new DataSpec(data != null ? data : trained.source(), trained.targets(), trained.seed(), "none");
    TrainTestData sets = DataSource.load(raw);
    Dataset test = sets.test();
    if (!trained.standardize().equals("none")) {
      FittedStandardization fitted;
      try {
        fitted = FittedStandardization.read(runDir, trained.standardize());
      } catch (IOException e) {
        throw new UsageException("the run was trained with --standardize " + trained.standardize()
            + ", but its saved standardisation cannot be read: " + e.getMessage());
      }
      if (fitted.width() != test.width()) {
        throw new UsageException("the saved standardisation has " + fitted.width() + " features; the test rows have " + test.width());
      }
      test = fitted.apply(test);
    }
    ModelSpec model = config.modelFor(sets.train(), test);
    Mlp mlp = new Mlp(model, config.optimization().precision());
    Path file = params != null ? params : runDir.resolve("params.npy");
    FlatArray values = NpyFile.read(file);
    if (values.length() != mlp.layout().size()) {
      throw new UsageException(file + " holds " + values.length() + " values; model " + model.widthsText() + " has "
          + mlp.layout().size() + " parameters");
    }
    ParameterViews views = mlp.parameters(values);
    double lossSum = 0;
    long correct = 0;
    double[] headSums = new double[model.heads().size()];
    ConfusionMatrix confusion = test.isClassification()
        ? new ConfusionMatrix(Math.max(mlp.outputWidth() == 1 ? 2 : mlp.outputWidth(), test.maxLabel() + 1)) : null;
    try (PrintWriter out = predict == null ? null : new PrintWriter(Files.newBufferedWriter(predict))) {
      for (int from = 0; from < test.rows(); from += 1000) {
        int[] rows = IntStream.range(from, Math.min(test.rows(), from + 1000)).toArray();
        Mlp.Evaluation e = mlp.evaluate(views, test, rows);
        lossSum += e.lossSum();
        correct += e.correct();
        if (model.isMultitask()) {
          double[] each = mlp.headLosses(views, test, rows);
          for (int h = 0; h < each.length; h++) {
            headSums[h] += each[h];
          }
        }
        if (out != null || confusion != null) {
          double[] outputs = mlp.predict(views, test, rows);
          if (confusion != null) {
            for (int i = 0; i < rows.length; i++) {
              confusion.add(test.label(rows[i]), PredictedClass.of(outputs, i, mlp.outputWidth()));
            }
          }
          if (out != null) {
            writePredictions(out, outputs, rows.length, mlp.outputWidth(), test.isClassification());
          }
        }
      }
    }
    java.util.List<HeadScore> heads = new java.util.ArrayList<>();
    for (int h = 0; h < headSums.length; h++) {
      heads.add(new HeadScore(model.heads().get(h).toString(), headSums[h] / test.rows()));
    }
    return new Score(lossSum / test.rows(), mlp.reportsAccuracy(test) ? (double) correct / test.rows() : Double.NaN, test.rows(),
        confusion, heads);
  }

  /** The options a run folder was trained with, from its config.conf. */
  static TrainConfig trainedWith(Path runDir) {
    Path conf = runDir.resolve("config.conf");
    if (!Files.isRegularFile(conf)) {
      throw new UsageException(runDir + " holds no config.conf (is it a train run folder?)");
    }
    return TrainConfig.resolve(ConfigFactory.empty(), ConfigFactory.parseFile(conf.toFile()));
  }

  private static void writePredictions(PrintWriter out, double[] outputs, int rows, int k, boolean classes) {
    for (int i = 0; i < rows; i++) {
      StringBuilder line = new StringBuilder();
      for (int j = 0; j < k; j++) {
        line.append(j == 0 ? "" : ",").append(outputs[i * k + j]);
      }
      if (classes) {
        line.append(',').append(PredictedClass.of(outputs, i, k));
      }
      out.println(line);
    }
  }
}
