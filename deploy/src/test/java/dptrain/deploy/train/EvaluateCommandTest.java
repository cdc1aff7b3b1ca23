package dptrain.deploy.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run's saved parameters and standardisation, evaluated outside the cluster, give the run's own test score. */
class EvaluateCommandTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"zscore", "zca:0.1"})
  void evaluatingASavedRunAppliesItsSavedStandardisationAndReproducesItsTestScore(String standardize) throws Exception {
    Path runDir = dir.resolve(standardize.replace(':', '-'));
    var train = TrainCommandTest.run("train", "--data", "synthetic:spirals", "--model", "2-16:tanh-2", "--lr", "0.02",
        "--batch", "50", "--epochs", "2", "--workers", "2", "--ps-shards", "1", "--standardize", standardize,
        "--run-dir", runDir.toString());
    assertThat(train.exitCode()).as(train.err()).isZero();
    List<String> lines = train.out().lines().toList();
    String finalLine = lines.get(lines.size() - 1);
    double loss = Double.parseDouble(finalLine.replaceAll(".*test_loss=(\\S+) .*", "$1"));
    String accuracy = finalLine.replaceAll(".*test_accuracy=(\\S+) .*", "$1");

    Path predictions = dir.resolve("predictions.csv");
    var evaluated = TrainCommandTest.run("evaluate", "--run-dir", runDir.toString(), "--predict", predictions.toString());

    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    double again = Double.parseDouble(evaluated.out().replaceAll("(?s).*test_loss=(\\S+) .*", "$1"));
    assertThat(again).isCloseTo(loss, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(evaluated.out()).contains("test_accuracy=" + accuracy, "rows=500");
    assertThat(Files.readAllLines(predictions)).hasSize(500).allMatch(l -> l.split(",").length == 3);

    Files.delete(runDir.resolve("standardization-shift.npy"));
    var missing = TrainCommandTest.run("evaluate", "--run-dir", runDir.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("saved standardisation cannot be read").contains("standardization-shift.npy");
  }

  @Test
  void forClassesItPrintsEachClassScoresAndDrawsTheConfusionMatrix() throws Exception {
    Path runDir = dir.resolve("classes");
    var train = TrainCommandTest.run("train", "--data", "synthetic:spirals", "--model", "2-16:tanh-2", "--lr", "0.02",
        "--batch", "50", "--epochs", "2", "--workers", "1", "--run-dir", runDir.toString());
    assertThat(train.exitCode()).as(train.err()).isZero();

    var evaluated = TrainCommandTest.run("evaluate", runDir.toString());

    assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
    double accuracy = Double.parseDouble(evaluated.out().replaceAll("(?s).*test_accuracy=(\\S+) .*", "$1"));
    List<String> rows = evaluated.out().lines().filter(l -> l.matches("\\| [01] \\|.*")).toList();
    assertThat(rows).hasSize(2);
    long support = rows.stream().mapToLong(r -> Long.parseLong(r.replaceAll(".*\\| (\\d+) \\|$", "$1"))).sum();
    assertThat(support).isEqualTo(500);
    // Recall of each class weighted by its support is the accuracy.
    double weightedRecall = rows.stream().mapToDouble(r -> {
      String[] cells = r.split("\\|");
      return Double.parseDouble(cells[3].trim()) * Long.parseLong(cells[5].trim()) / 500.0;
    }).sum();
    assertThat(weightedRecall).isCloseTo(accuracy, org.assertj.core.data.Offset.offset(2e-4));
    var png = javax.imageio.ImageIO.read(runDir.resolve("confusion-matrix.png").toFile());
    assertThat(png.getWidth()).isEqualTo(760);

    var twice = TrainCommandTest.run("evaluate", runDir.toString(), "--run-dir", runDir.toString());
    assertThat(twice.exitCode()).isEqualTo(2);
    assertThat(twice.err()).contains("name the run folder once");
  }
}
