package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints written during training, and a resumed run that ends bit for bit where the uninterrupted one does. */
class CheckpointResumeIntegrationTest {
  /** 1000 training rows in batches of 50, three epochs. */
  private static final long TOTAL_STEPS = 60;

  @TempDir
  Path dir;

  private static String[] train(Path runDir, String... extra) {
    String[] base = {"train", "--data", "synthetic:spirals", "--model", "2-16-16-2", "--batch", "50", "--epochs", "3",
        "--workers", "2", "--ps-shards", "2", "--seed", "3", "--checkpoint-every", "7",
        "--run-dir", runDir.toString()};
    return Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
  }

  private static void copy(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static final Pattern STEP = Pattern.compile("\"type\":\"step\",\"step\":(\\d+)");

  /** The steps the resumed run trained: the step lines after its resume line in metrics.jsonl. */
  private static List<Long> stepsAfterTheResume(Path runDir) throws Exception {
    List<String> lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
    int resume = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"resume\"")) {
        resume = i;
      }
    }
    assertThat(resume).as("a resume line").isNotNegative();
    return steps(lines.subList(resume + 1, lines.size()));
  }

  private static List<Long> steps(List<String> lines) {
    List<Long> steps = new ArrayList<>();
    for (String line : lines) {
      Matcher m = STEP.matcher(line);
      if (m.find()) {
        steps.add(Long.parseLong(m.group(1)));
      }
    }
    return steps;
  }

  private void resumedRunEqualsUninterrupted(String checkpoint, String... options) throws Exception {
    Path whole = dir.resolve("whole");
    String[] keepAll = Stream.concat(Stream.of("--keep-checkpoints", "10"), Stream.of(options)).toArray(String[]::new);
    assertThat(TrainCommandTest.run(train(whole, keepAll)).exitCode()).isZero();
    Path resumed = dir.resolve("resumed");
    copy(whole, resumed);
    Files.delete(resumed.resolve("params.npy"));

    var run = TrainCommandTest.run("train", "--resume", resumed.toString(), "--resume-checkpoint",
        resumed.resolve("checkpoints").resolve(checkpoint).toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("resuming from");
    assertThat(Files.readAllBytes(resumed.resolve("params.npy"))).isEqualTo(Files.readAllBytes(whole.resolve("params.npy")));
    // A fresh run from step 0 would end with the same bits: the resumed run trains only what was
    // left, each step once, and stops where the uninterrupted run stopped (early stopping may end it before 60).
    long from = Long.parseLong(checkpoint.replaceAll("\\D", ""));
    List<Long> uninterrupted = steps(Files.readAllLines(whole.resolve("metrics.jsonl")));
    assertThat(uninterrupted).hasSizeLessThanOrEqualTo((int) TOTAL_STEPS);
    assertThat(stepsAfterTheResume(resumed)).as("the steps after the checkpoint, each once").isNotEmpty()
        .isEqualTo(LongStream.rangeClosed(from, uninterrupted.get(uninterrupted.size() - 1)).boxed().toList());
  }

  @Test
  void adamResumedMidEpochEndsWithTheUninterruptedParametersBitForBit() throws Exception {
    // 1000 training rows, 20 steps per epoch: step 21 is in the second epoch, past its first step.
    resumedRunEqualsUninterrupted("ckpt-000000000021.ckpt");
  }

  @Test
  void nadamWithPlateauScheduleAndEarlyStoppingStateResumesExactly() throws Exception {
    resumedRunEqualsUninterrupted("ckpt-000000000014.ckpt", "--optimizer", "nadam", "--schedule", "plateau:patience=0,factor=0.5",
        "--validation", "0.2", "--early-stopping", "7.1", "--patience", "5", "--eval-steps", "5");
  }

  @Test
  void aFinishedRunGoesOnFromItsLastCheckpointWithMoreEpochsAndIsRefusedWithNone() throws Exception {
    Path fourEpochs = dir.resolve("four");
    String[] fourEpochsJob = train(fourEpochs);
    fourEpochsJob[java.util.Arrays.asList(fourEpochsJob).indexOf("--epochs") + 1] = "4";
    assertThat(TrainCommandTest.run(fourEpochsJob).exitCode()).isZero();
    Path threeThenOne = dir.resolve("three");
    assertThat(TrainCommandTest.run(train(threeThenOne)).exitCode()).isZero();
    assertThat(threeThenOne.resolve("checkpoints").resolve("ckpt-000000000060.ckpt")).as("after the last step").exists();

    var nothingLeft = TrainCommandTest.run("train", "--resume", threeThenOne.toString());
    assertThat(nothingLeft.exitCode()).isNotZero();
    assertThat(nothingLeft.err()).contains("after step 60").contains("nothing is left to train");

    var oneMore = TrainCommandTest.run("train", "--resume", threeThenOne.toString(), "--epochs", "4");
    assertThat(oneMore.exitCode()).as(oneMore.err()).isZero();
    assertThat(stepsAfterTheResume(threeThenOne)).isEqualTo(LongStream.range(60, 80).boxed().toList());
    assertThat(Files.readAllBytes(threeThenOne.resolve("params.npy"))).isEqualTo(Files.readAllBytes(fourEpochs.resolve("params.npy")));
  }

  @Test
  void onlyTheNewestCheckpointsAreKept() throws Exception {
    // Written after steps 7, 14, 21, 28, 35, 42, 49, 56 and after the last step (60).
    Path run = dir.resolve("kept");
    assertThat(TrainCommandTest.run(train(run, "--keep-checkpoints", "3")).exitCode()).isZero();

    try (var files = Files.list(run.resolve("checkpoints"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("ckpt-000000000049.ckpt", "ckpt-000000000056.ckpt", "ckpt-000000000060.ckpt");
    }
  }

  @Test
  void aDamagedNewestCheckpointIsRefusedAndThePreviousGoodOneNamed() throws Exception {
    Path run = dir.resolve("damaged");
    assertThat(TrainCommandTest.run(train(run)).exitCode()).isZero();
    Path newest;
    try (var files = Files.list(run.resolve("checkpoints"))) {
      newest = files.sorted().reduce((a, b) -> b).orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    var refused = TrainCommandTest.run("train", "--resume", run.toString());

    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains(newest.toString()).contains("truncated").contains("previous good checkpoint is");
  }
}
