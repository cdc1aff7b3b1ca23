package dptrain.deploy.stacking;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import dptrain.deploy.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackCommandTest {
  @TempDir
  Path dir;

  @Test
  void membersTrainWithoutTheHeldOutRowsAndTheCombinerLearnsFromTheirPredictionsThere() throws Exception {
    TrainConfig base = TrainConfig.fromKeys(Map.of("data", "synthetic:spirals", "model", "2-16:tanh-2", "lr", 0.02,
        "batch", 50, "epochs", 3, "workers", 2, "ps-shards", 1));

    var result = StackCommand.run(base, dir, 3, 0.2, 10);

    assertThat(result.members().members()).hasSize(3);
    assertThat(result.members().members().get(0).outcome().steps())
        .as("800 of the 1000 training rows, 16 steps per epoch").isEqualTo(48);
    var heldOut = Files.readAllLines(dir.resolve("combiner/held-out-predictions.csv"));
    assertThat(heldOut).as("a header, then the 200 held-out rows").hasSize(201);
    assertThat(heldOut.get(0)).isEqualTo("member1_out0,member1_out1,member2_out0,member2_out1,member3_out0,member3_out1,target0");
    assertThat(Files.readAllLines(dir.resolve("combiner/test-predictions.csv"))).hasSize(501);
    var combiner = result.combiner();
    assertThat(combiner.steps()).as("200 rows, batch 50, 10 epochs").isEqualTo(40);
    assertThat(combiner.parameters().length()).as("a 6-2 linear layer").isEqualTo(6 * 2 + 2);
    assertThat(combiner.testAccuracy()).as("two balanced classes: better than chance").isGreaterThan(0.5);
  }

  @Test
  void theCommandPrintsTheMembersBaggingAndTheStackedEnsemble() {
    var run = TrainCommandTest.run("stack", "--members", "2", "--data", "synthetic:spirals", "--model", "2-8-2", "--epochs", "1",
        "--combiner-epochs", "2", "--workers", "1", "--ps-shards", "1", "--run-dir", dir.resolve("cli").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("| member 1 |", "| member 2 |", "| bagging of 2 (average) |", "| stacking of 2 (linear combiner) |");
    assertThat(TrainCommandTest.run("stack", "--holdout", "1").err()).contains("--holdout must be a fraction in (0, 1), got 1.0");
    assertThat(TrainCommandTest.run("stack", "--members", "1").exitCode()).isEqualTo(2);
  }
}
