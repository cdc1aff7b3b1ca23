package dptrain.deploy.examples;

import dptrain.deploy.train.TrainConfig;
import dptrain.deploy.train.TrainingRun;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The lecture's linear-regression example: N = 30 points y = 3x + 2 + U(-0.1, 0.1), a 1-1
 * linear model (mse), theta_0 = (b, w) = (10, 5), full batch, lr 0.005, 1000 iterations, with
 * gradient descent, momentum 0.6 (alg. 8.2) and Nesterov momentum 0.8 (alg. 8.3), each on a
 * real local cluster. Prints where each ends against (b, w) = (2, 3).
 */
@Command(name = "linear-regression", mixinStandardHelpOptions = true,
    description = {"The lecture's linear regression: SGD, momentum 0.6 and Nesterov 0.8 from (b, w) = (10, 5),",
        "lr 0.005, 1000 full-batch iterations on y = 3x + 2 + U(-0.1, 0.1), N = 30. Prints the table;",
        "exit code 0 when every method ends within --tolerance of (2, 3)."})
public final class LinearRegressionExample implements Callable<Integer> {
  @Option(names = "--workers", description = "Worker nodes (default 2).")
  int workers = 2;

  @Option(names = "--iterations", description = "Iterations (default 1000).")
  int iterations = 1000;

  @Option(names = "--tolerance", description = "Largest allowed distance of b and w from (2, 3) (default 0.05).")
  double tolerance = 0.05;

  @Option(names = "--run-dir", description = "Where the runs go (default: a temporary folder).")
  Path runDir;

  /** One method of the table. */
  public record Row(String method, double b, double w, double loss) {}

  @Override
  public Integer call() throws Exception {
    Path root = runDir != null ? runDir : Files.createTempDirectory("dptrain-linreg");
    List<Row> rows = run(root, workers, iterations);
    System.out.println("| method | b | w | |b - 2| | |w - 3| | final mse |");
    System.out.println("| --- | --- | --- | --- | --- | --- |");
    boolean all = true;
    for (Row row : rows) {
      System.out.println(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f | %.6f |", row.method(), row.b(), row.w(),
          Math.abs(row.b() - 2), Math.abs(row.w() - 3), row.loss()));
      all &= Math.abs(row.b() - 2) <= tolerance && Math.abs(row.w() - 3) <= tolerance;
    }
    System.out.println(all ? "every method ends within " + tolerance + " of (b, w) = (2, 3)"
        : "NOT every method ends within " + tolerance + " of (b, w) = (2, 3)");
    return all ? 0 : 1;
  }

  /** Runs the three methods; the flat parameters of the 1-1 model are (w, b). */
  public static List<Row> run(Path root, int workers, int iterations) throws Exception {
    Path init = root.resolve("theta0.npy");
    NpyFile.write(init, FlatArray.of(Precision.FLOAT64, new double[] {5, 10}));
    return List.of(
        train(root, "sgd", init, workers, iterations, "optimizer", "sgd"),
        train(root, "momentum 0.6", init, workers, iterations, "optimizer", "momentum", "momentum", 0.6),
        train(root, "nesterov 0.8", init, workers, iterations, "optimizer", "nesterov", "momentum", 0.8));
  }

  private static Row train(Path root, String method, Path init, int workers, int iterations, Object... optimizer)
      throws Exception {
    Map<String, Object> keys = new HashMap<>(Map.of("data", "synthetic:linear", "model", "1-1", "loss", "mse",
        "batch", "all", "shuffle", false, "steps", iterations, "lr", 0.005, "init-params", init.toString(),
        "workers", workers, "ps-shards", 1));
    keys.put("run-dir", root.resolve(method.split(" ")[0]).toString());
    keys.put("checkpoint-epoch-end", false); // a thousand one-step epochs: nothing worth keeping
    for (int i = 0; i < optimizer.length; i += 2) {
      keys.put((String) optimizer[i], optimizer[i + 1]);
    }
    var finished = new TrainingRun(TrainConfig.fromKeys(keys)).trainToEnd(method);
    return new Row(method, finished.parameters().get(1), finished.parameters().get(0), finished.trainLoss());
  }
}
