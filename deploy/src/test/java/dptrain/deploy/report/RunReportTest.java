package dptrain.deploy.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.deploy.train.TrainCommandTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real (small) training run leaves charts and a self-contained report; {@code dptrain report} draws them again. */
class RunReportTest {
  @TempDir
  static Path dir;
  static Path runDir;
  static TrainCommandTest.Run train;

  @BeforeAll
  static void train() {
    runDir = dir.resolve("run");
    train = TrainCommandTest.run("train", "--data", "synthetic:xor", "--model", "2-8-2", "--activation", "tanh", "--lr", "0.05",
        "--batch", "2", "--epochs", "6", "--workers", "1", "--run-dir", runDir.toString());
  }

  @Test
  void everyTrainEndsWithChartsAndAReportInItsRunFolder() throws IOException {
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(train.out()).contains("report: " + runDir.resolve("report.html"));
    for (String chart : new String[] {"loss-per-epoch", "accuracy-per-epoch", "loss-per-step", "learning-rate",
        "samples-per-second", "gradient-bytes", "step-split"}) {
      BufferedImage png = ImageIO.read(runDir.resolve("charts/" + chart + ".png").toFile());
      assertThat(png).as(chart).isNotNull();
      assertThat(png.getWidth()).as(chart).isEqualTo(900);
    }
    assertThat(runDir.resolve("charts/staleness.png")).as("a synchronous run has no staleness").doesNotExist();
  }

  @Test
  void theReportCarriesItsChartsConfigAndEventsWithNothingToFetch() throws IOException {
    String page = Files.readString(runDir.resolve("report.html"));

    assertThat(page.split("src=\"data:image/png;base64,", -1)).hasSize(8);
    assertThat(page).doesNotContain("http://", "https://");
    assertThat(page).contains("Loss per epoch", "test_accuracy", "mode</th><td>sync");
    assertThat(page).contains(RunReport.escape(Files.readString(runDir.resolve("config.conf"))).strip());
    assertThat(page).contains("<td>checkpoint</td><td>step=12");
  }

  @Test
  void theReportCommandDrawsAFolderAgainAndRefusesOneWithoutMetrics() throws IOException {
    Files.delete(runDir.resolve("charts/loss-per-step.png"));
    var again = TrainCommandTest.run("report", runDir.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(runDir.resolve("charts/loss-per-step.png")).exists();

    var empty = TrainCommandTest.run("report", dir.toString());
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).contains(dir + " is not a run folder: it has no metrics.jsonl");
  }

  @Test
  void aRunStillWritingItsLastLineIsReportedAndACorruptLineIsNamed() throws IOException {
    Path live = dir.resolve("live");
    Files.createDirectories(live);
    Files.writeString(live.resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":0,\"epoch\":0,\"train_loss\":0.7,"
        + "\"samples\":4,\"lr\":0.1,\"elapsed_s\":0.1}\n{\"type\":\"step\",\"step\":1,\"ep");
    assertThat(RunHistory.read(live).steps()).hasSize(1);
    assertThat(RunReport.write(live)).exists();

    Files.writeString(live.resolve("metrics.jsonl"), "{\"type\":\"step\",\"step\":0,\"ep\n{\"type\":\"summary\"}\n");
    assertThatThrownBy(() -> RunHistory.read(live)).isInstanceOf(IOException.class)
        .hasMessageContaining("metrics.jsonl line 1: the line ends early");
  }
}
