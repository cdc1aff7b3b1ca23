package dptrain.deploy.bagging;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import dptrain.deploy.train.TrainConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BagCommandTest {
  @TempDir
  Path dir;

  @Test
  void membersTrainOnTheirOwnBootstrapSamplesAndTheEnsembleIsScoredOnTheTestSet() throws Exception {
    TrainConfig base = TrainConfig.fromKeys(Map.of("data", "synthetic:spirals", "model", "2-16:tanh-2", "lr", 0.02,
        "batch", 50, "epochs", 3, "workers", 2, "ps-shards", 1));

    var result = BagCommand.run(base, dir, 3, "average");

    assertThat(result.members()).hasSize(3);
    var first = result.members().get(0).outcome();
    assertThat(result.members()).extracting(m -> m.outcome().testLoss()).doesNotHaveDuplicates();
    assertThat(first.steps()).as("a bootstrap sample has as many rows as the training set: 20 steps per epoch").isEqualTo(60);
    // The average of the members' probabilities: its cross-entropy is at most the members' mean (Jensen).
    double meanMemberLoss = result.members().stream().mapToDouble(m -> m.outcome().testLoss()).average().orElseThrow();
    assertThat(result.ensemble().loss()).isLessThanOrEqualTo(meanMemberLoss);
    // Two balanced classes: the ensemble beats chance, and (a synchronous run, the same bits every
    // time) it is not worse than its worst member.
    double worstMember = result.members().stream().mapToDouble(m -> m.outcome().testAccuracy()).min().orElseThrow();
    assertThat(result.ensemble().accuracy()).isGreaterThan(0.5).isGreaterThanOrEqualTo(worstMember);
  }

  @Test
  void theCommandPrintsEveryMemberAndTheEnsemble() {
    var run = TrainCommandTest.run("bag", "--members", "2", "--combine", "vote", "--data", "synthetic:spirals", "--model",
        "2-8-2", "--epochs", "1", "--workers", "1", "--ps-shards", "1", "--run-dir", dir.resolve("cli").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("| member 1 |", "| member 2 |", "| ensemble of 2 (vote) | - |");
    assertThat(TrainCommandTest.run("bag", "--members", "1").exitCode()).isEqualTo(2);
    assertThat(TrainCommandTest.run("bag", "--combine", "median").err()).contains("--combine must be one of average, vote");
  }
}
