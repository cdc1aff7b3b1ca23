package dptrain.deploy.console;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.report.JsonLine;
import dptrain.deploy.train.TrainCommandTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConsoleTest {
  @TempDir
  Path dir;

  private TrainCommandTest.Run xor(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("train", "--data", "synthetic:xor", "--model", "2-4-2", "--batch", "2",
        "--epochs", "3", "--workers", "1", "--no-dashboard", "--run-dir", dir.resolve("run").toString()));
    args.addAll(List.of(more));
    return TrainCommandTest.run(args.toArray(String[]::new));
  }

  @Test
  void jsonOutputIsOneObjectPerLineWithTheRunsPlanEvaluationsEventsAndSummary() {
    var run = xor("--log-format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonLine> lines = run.out().lines().map(JsonLine::parse).toList();
    assertThat(lines).extracting(JsonLine::type).contains("plan", "epoch", "checkpoint", "summary", "message")
        .doesNotContain("step");
    assertThat(lines.stream().filter(l -> l.type().equals("epoch"))).hasSize(3);
    assertThat(lines.stream().filter(l -> l.type().equals("plan")).findFirst().orElseThrow().text("steps_per_epoch")).isEqualTo("2");
    assertThat(lines.get(lines.size() - 1).text("text")).startsWith("final test_loss=");
  }

  @Test
  void quietLeavesOnlyWhereTheRunIsAndTheFinalLine() {
    var run = xor("--quiet");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(3).satisfies(lines -> {
      assertThat(lines.get(0)).startsWith("run folder: ");
      assertThat(lines.get(1)).startsWith("report: ");
      assertThat(lines.get(2)).startsWith("final test_loss=");
    });
  }

  @Test
  void withoutATerminalEachEpochIsOnePlainLine() {
    var run = xor();

    assertThat(run.out().lines().filter(l -> l.contains("INFO") && l.matches(".* epoch [123]/3 step .*"))).hasSize(3);
  }

  @Test
  void anUnknownLogFormatIsBadInput() {
    var run = xor("--log-format", "yaml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--log-format must be text or json, got 'yaml'");
  }

  @Test
  void eachEpochGetsABarWithSamplesLossEvaluationAndWorkers() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (EpochBars bars = new EpochBars(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
      bars.add(JsonLine.parse("{\"type\":\"plan\",\"steps\":4,\"steps_per_epoch\":2,\"epochs\":2,\"global_batch\":64,\"train_rows\":100}"));
      bars.add(JsonLine.parse("{\"type\":\"step\",\"step\":0,\"epoch\":0,\"train_loss\":0.9,\"samples\":64,\"elapsed_s\":0.1,\"workers\":2}"));
      bars.add(JsonLine.parse("{\"type\":\"step\",\"step\":1,\"epoch\":0,\"train_loss\":0.7,\"samples\":36,\"elapsed_s\":0.2,\"workers\":2}"));
      bars.add(JsonLine.parse("{\"type\":\"epoch\",\"epoch\":1,\"step\":2,\"test_loss\":0.65,\"test_accuracy\":0.8125}"));
      bars.add(JsonLine.parse("{\"type\":\"step\",\"step\":2,\"epoch\":1,\"train_loss\":0.6,\"samples\":64,\"elapsed_s\":0.3,\"workers\":1}"));
    }
    String text = bytes.toString(StandardCharsets.UTF_8);

    assertThat(text).contains("epoch 1/2 100%", "100/100 samples", "loss 0.7000 | test 0.6500 acc 0.8125 | 2 workers");
    assertThat(text).contains("epoch 2/2  64%", "64/100 samples", "| 1 worker");
  }
}
