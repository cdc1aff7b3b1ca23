package dptrain.deploy.boosting;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import dptrain.deploy.train.TrainConfig;
import dptrain.protocol.tensor.NpyFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoostCommandTest {
  @TempDir
  Path dir;

  @Test
  void eachMemberTrainsOnWeightsThatCountWhatTheOnesBeforeItGotWrongMore() throws Exception {
    TrainConfig base = TrainConfig.fromKeys(Map.of("data", "synthetic:spirals", "model", "2-8:tanh-2", "lr", 0.02,
        "batch", 50, "epochs", 2, "workers", 2, "ps-shards", 1));

    var result = BoostCommand.run(base, dir, 3);

    assertThat(result.members()).isNotEmpty();
    var first = result.members().get(0);
    assertThat(first.error()).as("a weak first member").isBetween(0.0, 0.5);
    assertThat(first.alpha()).isCloseTo(Math.log((1 - first.error()) / first.error()), org.assertj.core.data.Offset.offset(1e-12));
    double[] firstWeights = NpyFile.read(dir.resolve("member-1/sample-weights.npy")).toDoubles();
    assertThat(firstWeights).as("member 1: every row 1 / n").containsOnly(1.0 / 1000);
    double[] secondWeights = NpyFile.read(dir.resolve("member-2/sample-weights.npy")).toDoubles();
    // Two values: rows member 1 got right and rows it got wrong, these e^alpha times heavier.
    double[] distinct = Arrays.stream(secondWeights).distinct().sorted().toArray();
    assertThat(distinct).hasSize(2);
    assertThat(distinct[1] / distinct[0]).isCloseTo(Math.exp(first.alpha()), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Arrays.stream(secondWeights).filter(w -> w == distinct[1]).count() / 1000.0)
        .as("the rows it got wrong are its error").isCloseTo(first.error(), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(result.accuracy()).as("two balanced classes: better than chance").isGreaterThan(0.5);
  }

  @Test
  void theCommandPrintsEveryMemberAndTheEnsembleAndRefusesWhatItCannotBoost() {
    var run = TrainCommandTest.run("boost", "--members", "2", "--data", "synthetic:spirals", "--model", "2-8-2", "--epochs", "1",
        "--workers", "1", "--ps-shards", "1", "--run-dir", dir.resolve("cli").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("| member 1 |", "| boosting of ");
    assertThat(TrainCommandTest.run("boost", "--data", "synthetic:linear", "--loss", "mse", "--model", "1-4-1").err())
        .contains("boost (AdaBoost.M1/SAMME) is for class labels");
    assertThat(TrainCommandTest.run("boost", "--sample-weights", "w.npy").err()).contains("leave out --heads, --sample-weights and bootstrap");
  }
}
