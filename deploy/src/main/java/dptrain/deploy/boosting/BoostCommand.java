package dptrain.deploy.boosting;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.UsageException;
import dptrain.deploy.bagging.EnsembleRuns;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainOptions;
import dptrain.deploy.train.TrainingRun;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.PredictedClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dptrain boost}: boosting, AdaBoost.M1 / SAMME ({@link Samme}). Trains K members one after
 * the other on the same local cluster, each with a weighted loss ({@code --sample-weights}, written
 * into its run folder) that counts the rows the members before it got wrong more; the ensemble
 * predicts the class with the largest sum of the members' vote weights.
 */
@Command(name = "boost", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Boosting (AdaBoost.M1, SAMME for more than two classes): trains --members K models one after the other,",
        "each with a weighted training loss that counts the rows the members before it got wrong more; a member's",
        "vote is ln((1 - err) / err) + ln(C - 1) from its weighted training error err. A member no better than",
        "chance ends the boosting. Prints each member's error, vote and test score and the ensemble's test accuracy.",
        "Classes only. The other options are train's. Exit codes: 0 done, 1 a run failed, 2 bad input."})
public final class BoostCommand implements Callable<Integer> {
  @Option(names = "--members", paramLabel = "K", description = "Members of the ensemble, at most (default 5).")
  int members = 5;

  @Mixin
  TrainOptions options;

  /** One member: its weighted training error, its vote (0: no better than chance, not in the ensemble) and its run. */
  public record Member(int index, double error, double alpha, TrainingOutcome.Finished outcome) {}

  /** The members and the ensemble's test accuracy (of the members with a vote). */
  public record Result(List<Member> members, double accuracy) {}

  @Override
  public Integer call() throws Exception {
    EnsembleRuns.members(members);
    TrainConfig base = options.resolve();
    Path root = EnsembleRuns.root(base, "boost");
    Result result = run(base, root, members);
    System.out.println("| model | weighted training error | vote | test loss | test accuracy |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (Member m : result.members()) {
      System.out.println(String.format(Locale.ROOT, "| member %d | %.4f | %s | %.4f | %.4f |", m.index(), m.error(),
          m.alpha() > 0 ? String.format(Locale.ROOT, "%.4f", m.alpha()) : "none (no better than chance)",
          m.outcome().testLoss(), m.outcome().testAccuracy()));
    }
    long voting = result.members().stream().filter(m -> m.alpha() > 0).count();
    System.out.println(String.format(Locale.ROOT, "| boosting of %d (weighted vote) | - | - | - | %.4f |", voting, result.accuracy()));
    return 0;
  }

  /** Boosts {@code base} for at most {@code count} members and scores the ensemble on the test set. */
  public static Result run(TrainConfig base, Path root, int count) throws Exception {
    if (!base.heads().isEmpty() || base.data().bootstrap() > 0 || !base.data().sampleWeights().isEmpty()) {
      throw new UsageException("boost weights the training rows itself; leave out --heads, --sample-weights and bootstrap");
    }
    TrainTestData data = DataSource.load(base.data());
    if (!data.train().isClassification()) {
      throw new UsageException("boost (AdaBoost.M1/SAMME) is for class labels; the data has real-valued targets");
    }
    ModelSpec model = base.modelFor(data.train(), data.test());
    Precision precision = base.optimization().precision();
    int classes = Math.max(2, Math.max(data.train().maxLabel(), data.test().maxLabel()) + 1);
    Samme samme = new Samme(data.train().rows(), classes);
    double[][] votes = new double[data.test().rows()][classes];
    List<Member> trained = new ArrayList<>();
    for (int m = 1; m <= count; m++) {
      Path dir = root.resolve("member-" + m);
      Files.createDirectories(dir);
      Path weightsFile = dir.resolve("sample-weights.npy");
      NpyFile.write(weightsFile, FlatArray.of(Precision.FLOAT64, samme.weights()));
      TrainConfig member = base.with(Map.of("sample-weights", weightsFile.toString(), "run-dir", dir.toString()));
      var finished = new TrainingRun(member).trainToEnd("member " + m);
      int[] onTrain = classes(model, precision, finished.parameters(), data.train());
      boolean[] wrong = new boolean[onTrain.length];
      for (int i = 0; i < wrong.length; i++) {
        wrong[i] = onTrain[i] != data.train().label(i);
      }
      Samme.Round round = samme.update(wrong);
      trained.add(new Member(m, round.error(), round.alpha(), finished));
      if (!round.better()) {
        break;
      }
      int[] onTest = classes(model, precision, finished.parameters(), data.test());
      for (int i = 0; i < onTest.length; i++) {
        votes[i][onTest[i]] += round.alpha();
      }
    }
    long correct = 0;
    for (int i = 0; i < votes.length; i++) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        best = votes[i][c] > votes[i][best] ? c : best;
      }
      correct += best == data.test().label(i) ? 1 : 0;
    }
    return new Result(trained, (double) correct / votes.length);
  }

  /** The class a member predicts for each row of {@code data}. */
  private static int[] classes(ModelSpec model, Precision precision, FlatArray parameters, Dataset data) {
    Mlp mlp = new Mlp(model, precision);
    var params = mlp.parameters(parameters);
    int k = mlp.outputWidth();
    int[] predicted = new int[data.rows()];
    for (int from = 0; from < data.rows(); from += 1000) {
      int[] rows = IntStream.range(from, Math.min(data.rows(), from + 1000)).toArray();
      double[] out = mlp.predict(params, data, rows);
      for (int i = 0; i < rows.length; i++) {
        predicted[from + i] = PredictedClass.of(out, i, k);
      }
    }
    return predicted;
  }
}
