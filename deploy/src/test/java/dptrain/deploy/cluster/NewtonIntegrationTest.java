package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.coordinator.TrainingOutcome;
import dptrain.coordinator.job.JobSettings;
import dptrain.deploy.TestJobs;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Newton's method on the cluster (--optimizer newton): every Hessian-vector product of its CG is
 * one round of the workers, reduced by the shards like a gradient.
 */
class NewtonIntegrationTest {
  @TempDir
  Path dir;

  private JobSettings linear(String name, int workers) {
    return TestJobs.settings(dir.resolve(name), "data", "synthetic:linear", "model", "1-1", "loss", "mse", "output",
        "identity", "optimizer", "newton", "damping", 1e-12, "epochs", 1, "dtype", "float64", "workers", workers,
        "reduction-groups", 6);
  }

  /** The least-squares line through the training rows, in closed form: {slope, intercept}. */
  private static double[] leastSquares(Dataset train) {
    double n = train.rows();
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (int r = 0; r < train.rows(); r++) {
      double x = train.input(r, 0);
      double y = train.target(r, 0);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    return new double[] {slope, (sy - slope * sx) / n};
  }

  @Test
  void oneNewtonStepReachesTheLeastSquaresFitOfALinearRegressionWithTheSameBitsOnOneAndThreeWorkers() throws Exception {
    JobSettings settings = linear("one", 1);
    TrainingOutcome.Finished one = TestJobs.train(settings, false);
    double[] fit = leastSquares(DataSource.load(settings.data()).train());

    assertThat(one.steps()).as("iterations").isEqualTo(1);
    assertThat(one.parameters().toDoubles()).containsExactly(fit, Offset.offset(1e-9));
    assertThat(TestJobs.train(linear("three", 3), false).parameters().toDoubles()).containsExactly(one.parameters().toDoubles());
    assertThat(Files.readString(settings.runDir().resolve("metrics.jsonl"))).contains("\"type\":\"step\"");
  }

  @Test
  void newtonTrainsASmallTanhNetworkOnSpiralsAndNeverGoesUphill() throws Exception {
    var settings = TestJobs.settings(dir.resolve("spirals"), "data", "synthetic:spirals", "model", "2-8:tanh-2",
        "optimizer", "newton", "damping", 0.01, "cg-iterations", 20, "epochs", 8, "dtype", "float64", "workers", 2,
        "seed", 3);
    TrainingOutcome.Finished run = TestJobs.train(settings, false);

    // ln 2 = 0.693 is a coin's loss. A tanh network's Hessian is indefinite at its start: steps
    // the quadratic model over-promised are halved or not taken, and the damping grows (0.403 here).
    assertThat(run.trainLoss()).isLessThan(0.45);
    var losses = Files.readAllLines(settings.runDir().resolve("metrics.jsonl")).stream()
        .filter(l -> l.contains("\"type\":\"step\"")).map(l -> Double.parseDouble(l.replaceAll(".*\"train_loss\":([-0-9.eE]+).*", "$1")))
        .toList();
    assertThat(losses).hasSize(8);
    for (int i = 1; i < losses.size(); i++) {
      assertThat(losses.get(i)).as("iteration %d", i + 1).isLessThanOrEqualTo(losses.get(i - 1));
    }
  }
}
