package dptrain.deploy.bagging;

import dptrain.coordinator.TrainingOutcome;
import dptrain.deploy.UsageException;
import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainOptions;
import dptrain.deploy.train.TrainingRun;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.TrainTestData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dptrain bag}: bagging. Trains K members one after the other on the same local cluster,
 * member m on its bootstrap sample of the training rows, then combines them on
 * the test set and prints each member's and the ensemble's score.
 */
@Command(name = "bag", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Bagging: trains --members K models, each on its own bootstrap sample of the training rows (drawn",
        "with replacement, seeded per member), on the same local cluster shape, then combines",
        "them on the test set by averaging their outputs or by majority vote. Prints each member's and",
        "the ensemble's test score. The other options are train's. Exit codes: 0 done, 1 a run failed, 2 bad input."})
public final class BagCommand implements Callable<Integer> {
  @Option(names = "--members", paramLabel = "K", description = "Members of the ensemble (default 5).")
  int members = 5;

  @Option(names = "--combine", paramLabel = "average|vote", description = "How the members' outputs combine (default average).")
  String combine = "average";

  @Mixin
  TrainOptions options;

  /** One member's result and where its parameters are. */
  public record Member(int index, TrainingOutcome.Finished outcome, Path params) {}

  /** The members and the ensemble's score. */
  public record Result(List<Member> members, Ensemble.Score ensemble) {}

  @Override
  public Integer call() throws Exception {
    EnsembleRuns.members(members);
    if (!Ensemble.COMBINATIONS.contains(combine)) {
      throw new UsageException("--combine must be one of average, vote, got '" + combine + "'");
    }
    TrainConfig base = options.resolve();
    if (!base.heads().isEmpty()) {
      throw new UsageException("bag averages single-loss models; --heads (multitask) is not supported");
    }
    Path root = EnsembleRuns.root(base, "bag");
    Result result = run(base, root, members, combine);
    System.out.println("| model | test loss | test accuracy |");
    System.out.println("| --- | --- | --- |");
    for (Member m : result.members()) {
      System.out.println(String.format(Locale.ROOT, "| member %d | %.4f | %.4f |", m.index(), m.outcome().testLoss(),
          m.outcome().testAccuracy()));
    }
    System.out.println(String.format(Locale.ROOT, "| ensemble of %d (%s) | %s | %.4f |", members, combine,
        Double.isNaN(result.ensemble().loss()) ? "-" : String.format(Locale.ROOT, "%.4f", result.ensemble().loss()),
        result.ensemble().accuracy()));
    return 0;
  }

  /** Trains the members of {@code base} and scores them and their ensemble on the test set. */
  public static Result run(TrainConfig base, Path root, int count, String combine) throws Exception {
    List<Member> trained = new ArrayList<>();
    List<FlatArray> parameters = new ArrayList<>();
    for (int m = 1; m <= count; m++) {
      Path dir = root.resolve("member-" + m);
      // One seed for all: it also draws synthetic data and the validation split, which members share;
      // their bootstrap samples, drawn per (seed, member), are what makes them differ.
      TrainConfig member = base.with(Map.of("bootstrap", m, "run-dir", dir.toString()));
      var finished = new TrainingRun(member).trainToEnd("member " + m);
      trained.add(new Member(m, finished, dir.resolve("params.npy")));
      parameters.add(finished.parameters());
    }
    TrainTestData data = DataSource.load(base.data());
    ModelSpec model = base.modelFor(data.train(), data.test());
    var score = Ensemble.score(model, base.optimization().precision(), parameters, data.test(), combine);
    return new Result(trained, score);
  }
}
