package dptrain.deploy.stacking;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.UsageException;
import dptrain.deploy.bagging.BagCommand;
import dptrain.deploy.bagging.EnsembleRuns;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainOptions;
import dptrain.deploy.train.TrainingRun;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.TrainTestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dptrain stack}: stacking (stacked generalisation). Holds a seeded fraction of the
 * training rows out, trains K members on bootstrap samples of the rest (as {@code bag} does),
 * writes their outputs on the held-out rows and on the test rows as CSV, and trains a combiner
 * (a linear layer from the K * k member outputs to the k outputs, with the members' loss) on the
 * held-out predictions, on the same cluster. Prints the members', bagging's and the combiner's
 * test scores.
 */
@Command(name = "stack", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Stacking: holds --holdout of the training rows out, trains --members K models on bootstrap samples of",
        "the rest, then trains a combiner, a linear layer over the members' outputs, on their predictions for",
        "the held-out rows (CSV files in the run folder). Prints each member's, bagging's (the average of the",
        "same members) and the stacked ensemble's test score. The other options are train's and apply to the",
        "members; the combiner trains --combiner-epochs epochs with train's optimizer.",
        "Exit codes: 0 done, 1 a run failed, 2 bad input."})
public final class StackCommand implements Callable<Integer> {
  @Option(names = "--members", paramLabel = "K", description = "Members of the ensemble (default 5).")
  int members = 5;

  @Option(names = "--holdout", paramLabel = "F", description = {
      "Fraction of the training rows held out for the combiner, stratified and seeded (default 0.2;",
      "--validation, when given, is used instead)."})
  double holdout = 0.2;

  @Option(names = "--combiner-epochs", paramLabel = "E", description = "Epochs of the combiner (default 20).")
  int combinerEpochs = 20;

  @Mixin
  TrainOptions options;

  /** The members with bagging's score, and the combiner's run. */
  public record Result(BagCommand.Result members, TrainingOutcome.Finished combiner) {}

  @Override
  public Integer call() throws Exception {
    EnsembleRuns.members(members);
    if (!(holdout > 0 && holdout < 1)) {
      throw new UsageException("--holdout must be a fraction in (0, 1), got " + holdout);
    }
    if (combinerEpochs < 1) {
      throw new UsageException("--combiner-epochs must be a whole number >= 1, got " + combinerEpochs);
    }
    TrainConfig base = options.resolve();
    if (!base.heads().isEmpty()) {
      throw new UsageException("stack combines single-loss models; --heads (multitask) is not supported");
    }
    Path root = EnsembleRuns.root(base, "stack");
    Result result = run(base, root, members, holdout, combinerEpochs);
    System.out.println("| model | test loss | test accuracy |");
    System.out.println("| --- | --- | --- |");
    for (BagCommand.Member m : result.members().members()) {
      System.out.println(row("member " + m.index(), m.outcome().testLoss(), m.outcome().testAccuracy()));
    }
    var bagging = result.members().ensemble();
    System.out.println(row("bagging of " + members + " (average)", bagging.loss(), bagging.accuracy()));
    System.out.println(row("stacking of " + members + " (linear combiner)", result.combiner().testLoss(),
        result.combiner().testAccuracy()));
    return 0;
  }

  private static String row(String what, double loss, double accuracy) {
    return String.format(Locale.ROOT, "| %s | %s | %s |", what, Double.isNaN(loss) ? "-" : String.format(Locale.ROOT, "%.4f", loss),
        Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.4f", accuracy));
  }

  /** Trains the members of {@code base} without the held-out rows, then the combiner on their predictions. */
  public static Result run(TrainConfig base, Path root, int count, double holdout, int combinerEpochs) throws Exception {
    TrainConfig held = base.data().holdsOutValidation() ? base : base.with(Map.of("validation", holdout));
    if (held.data().trainOnValidation()) {
      throw new UsageException("stack trains its combiner on the held-out rows; leave out --train-on-validation");
    }
    BagCommand.Result bag = BagCommand.run(held, root, count, "average");
    TrainTestData data = DataSource.load(held.data());
    ModelSpec model = held.modelFor(data.train(), data.test());
    List<FlatArray> parameters = bag.members().stream().map(m -> m.outcome().parameters()).toList();
    Path combinerDir = root.resolve("combiner");
    Files.createDirectories(combinerDir);
    Path trainCsv = combinerDir.resolve("held-out-predictions.csv");
    Path testCsv = combinerDir.resolve("test-predictions.csv");
    MemberPredictions.write(trainCsv, model, held.optimization().precision(), parameters, data.validation());
    MemberPredictions.write(testCsv, model, held.optimization().precision(), parameters, data.test());
    int k = model.outputWidth();
    Map<String, Object> keys = new HashMap<>();
    keys.put("data", "csv:" + trainCsv + "," + testCsv);
    keys.put("csv-header", "yes");
    keys.put("targets", data.test().isClassification() ? 1 : data.test().targetWidth());
    keys.put("model", (count * k) + "-" + k);
    keys.put("output", model.outputActivation());
    keys.put("init", "auto");
    keys.put("init-params", "");
    keys.put("validation", 0);
    keys.put("bootstrap", 0);
    keys.put("standardize", "none");
    keys.put("augment", "none");
    keys.put("early-stopping", "none");
    keys.put("curriculum", "");
    keys.put("steps", 0);
    keys.put("epochs", combinerEpochs);
    keys.put("run-dir", combinerDir.toString());
    TrainConfig combiner = held.with(keys);
    return new Result(bag, new TrainingRun(combiner).trainToEnd("combiner"));
  }
}
