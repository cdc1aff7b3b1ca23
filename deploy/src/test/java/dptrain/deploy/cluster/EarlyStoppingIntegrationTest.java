package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Early stopping on a real cluster: two spirals, a validation set of 20%, an evaluation every
 * 20 steps and a learning rate high enough for the validation loss to stall.
 */
class EarlyStoppingIntegrationTest {
  private static final Object[] JOB = {"data", "synthetic:spirals", "model", "2-32-32-2", "activation", "tanh",
      "lr", 0.05, "batch", 50, "validation", 0.2, "eval-steps", 20, "epochs", 40, "workers", 2, "ps-shards", 1,
      "seed", 0};

  @TempDir
  Path dir;

  @Test
  void algorithm71StopsAfterPatienceAndReturnsTheParametersOfTheBestStep() throws Exception {
    var stopped = TestJobs.train(TestJobs.settings(dir.resolve("stop"), with("early-stopping", "7.1", "patience", 2)), false);

    assertThat(stopped.steps()).as("stopped before the 640 steps of 40 epochs").isLessThan(640);
    assertThat(stopped.bestStep()).isPositive().isLessThan(stopped.steps());
    List<String> metrics = Files.readAllLines(dir.resolve("stop/metrics.jsonl"));
    assertThat(metrics).filteredOn(l -> l.contains("\"type\":\"epoch\"")).allMatch(l -> l.contains("\"validation_loss\":"));
    assertThat(metrics).filteredOn(l -> l.contains("\"type\":\"early_stop\"")).singleElement().asString()
        .contains("\"step\":" + stopped.steps() + ",").contains("\"best_step\":" + stopped.bestStep() + ",");

    // The same job run for exactly i* steps ends where 7.1's kept parameters are, bit for bit.
    var plain = TestJobs.train(TestJobs.settings(dir.resolve("plain"), with("steps", stopped.bestStep())), false);
    assertThat(stopped.parameters().toDoubles()).containsExactly(plain.parameters().toDoubles());
    assertThat(stopped.testAccuracy()).isEqualTo(plain.testAccuracy());
  }

  @Test
  void algorithms72And73RunTheirSecondPhaseEndToEnd() throws Exception {
    var retrain = TrainCommandTest.run(args("7.2", dir.resolve("r72")));
    assertThat(retrain.exitCode()).isZero();
    assertThat(retrain.out()).contains("early stopping 7.2: training again from the start on all training rows for");
    long steps = Long.parseLong(retrain.out().replaceAll("(?s).*for (\\d+) steps.*", "$1"));
    List<String> second = Files.readAllLines(dir.resolve("r72/retrain-7.2/metrics.jsonl"));
    assertThat(second).filteredOn(l -> l.contains("\"type\":\"step\"")).hasSize((int) steps);
    assertThat(second).noneMatch(l -> l.contains("validation_loss"));

    var going = TrainCommandTest.run(args("7.3", dir.resolve("r73")));
    assertThat(going.exitCode()).isZero();
    assertThat(going.out()).contains("early stopping 7.3: going on from the best parameters");
    double target = Double.parseDouble(going.out().replaceAll("(?s).*until validation_loss < ([0-9.]+).*", "$1"));
    List<String> third = Files.readAllLines(dir.resolve("r73/continue-7.3/metrics.jsonl"));
    // The early-stop line is the last of training (only the run's summary follows it).
    assertThat(third.get(third.size() - 1)).contains("\"type\":\"summary\"");
    String last = third.get(third.size() - 2);
    assertThat(last).contains("\"type\":\"early_stop\"");
    double stoppedAt = Double.parseDouble(last.replaceAll(".*\"validation_loss\":([0-9.eE-]+).*", "$1"));
    assertThat(stoppedAt).isLessThan(target);
  }

  private Object[] with(Object... more) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(JOB), java.util.Arrays.stream(more)).toArray();
  }

  private static String[] args(String method, Path runDir) {
    return new String[] {"train", "--data", "synthetic:spirals", "--model", "2-32-32-2", "--activation", "tanh",
        "--lr", "0.05", "--batch", "50", "--validation", "0.2", "--eval-steps", "20", "--epochs", "40", "--workers", "2",
        "--ps-shards", "1", "--early-stopping", method, "--patience", "2", "--run-dir", runDir.toString()};
  }
}
