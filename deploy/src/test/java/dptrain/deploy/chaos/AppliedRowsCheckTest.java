package dptrain.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppliedRowsCheckTest {
  @TempDir
  static Path dir;
  private static Path run;
  private static List<String> lines;
  private static final AppliedRowsCheck CHECK = new AppliedRowsCheck(5, true);

  /** A real run: 3 workers, spirals, 2 epochs of batches of 60 (the last batch of each epoch shorter). */
  @BeforeAll
  static void train() throws Exception {
    run = dir.resolve("run");
    var result = TrainCommandTest.run("train", "--workers", "3", "--data", "synthetic:spirals", "--model", "2-8:tanh-2",
        "--batch", "60", "--epochs", "2", "--seed", "5", "--no-dashboard", "--run-dir", run.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    lines = Files.readAllLines(run.resolve("metrics.jsonl"));
  }

  private static Path variant(String name, List<String> changed) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.write(folder.resolve("metrics.jsonl"), changed);
    return folder;
  }

  private static int indexOfStep(long step) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"type\":\"step\",\"step\":" + step + ",")) {
        return i;
      }
    }
    throw new AssertionError("no step " + step);
  }

  @Test
  void aCleanRunAppliedEveryPlannedRowOfEveryStepOnce() throws Exception {
    RowsVerdict verdict = CHECK.check(run);

    assertThat(verdict.exact()).as(verdict.problems().toString()).isTrue();
    assertThat(verdict.stepsApplied()).isEqualTo(verdict.stepsPlanned()).isGreaterThan(20);
    assertThat(lines).filteredOn(l -> l.contains("\"type\":\"step\"")).allMatch(l -> l.matches(".*\"rows\":\"[0-9a-f]{16}\".*"));
  }

  @Test
  void theCheckFollowsTheSeedThatPlannedTheRun() throws Exception {
    RowsVerdict verdict = new AppliedRowsCheck(6, true).check(run);

    assertThat(verdict.wrongRows()).as("another seed plans other batches").isEqualTo(verdict.stepsPlanned());
    assertThat(verdict.exact()).isFalse();
  }

  @Test
  void aStepAppliedTwiceWithoutARollBackIsCountedTwice() throws Exception {
    List<String> changed = new ArrayList<>(lines);
    int at = indexOfStep(3);
    changed.add(at + 1, lines.get(at));

    RowsVerdict verdict = CHECK.check(variant("twice", changed));

    assertThat(verdict.samplesTwice()).isEqualTo(60);
    assertThat(verdict.problems()).contains("step 3 applied twice without a roll-back between");
  }

  @Test
  void aMissingStepLosesItsRowsAndAShortStepLosesWhatItLacks() throws Exception {
    List<String> changed = new ArrayList<>(lines);
    changed.set(indexOfStep(5), lines.get(indexOfStep(5)).replace("\"samples\":60,", "\"samples\":59,"));
    changed.remove(indexOfStep(4));

    RowsVerdict verdict = CHECK.check(variant("lost", changed));

    assertThat(verdict.samplesLost()).isEqualTo(61);
    assertThat(verdict.stepsApplied()).isEqualTo(verdict.stepsPlanned() - 1);
  }

  @Test
  void otherRowsThanPlannedAreFoundByTheirDigestEvenWhenTheCountIsRight() throws Exception {
    List<String> changed = new ArrayList<>(lines);
    changed.set(indexOfStep(2), lines.get(indexOfStep(2)).replaceFirst("\"rows\":\"[0-9a-f]{16}\"",
        "\"rows\":\"" + dptrain.protocol.RowsDigest.hex(dptrain.protocol.RowsDigest.of(new int[60])) + "\""));

    RowsVerdict verdict = CHECK.check(variant("wrong", changed));

    assertThat(verdict.wrongRows()).isEqualTo(1);
    assertThat(verdict.samplesLost()).isZero();
  }

  @Test
  void stepsRedoneAfterARollBackReplaceTheUndoneOnes() throws Exception {
    List<String> changed = new ArrayList<>(lines.subList(0, indexOfStep(7) + 1));
    changed.add("{\"type\":\"rollback\",\"from_step\":7,\"to_step\":4,\"generation\":1}");
    changed.addAll(lines.subList(indexOfStep(4), lines.size()));

    RowsVerdict verdict = CHECK.check(variant("rolled-back", changed));

    assertThat(verdict.exact()).as(verdict.problems().toString()).isTrue();
  }

  @Test
  void aStandbysResumeFromACheckpointReplacesTheStepsAfterItAndTheLineTheKilledCoordinatorToreIsNoRecord()
      throws Exception {
    List<String> changed = new ArrayList<>(lines.subList(0, indexOfStep(7) + 1));
    String step8 = lines.get(indexOfStep(8));
    changed.add(step8.substring(0, step8.length() / 2)); // kill -9 in the middle of writing step 8
    changed.add("{\"type\":\"resume\",\"step\":4,\"epoch\":0}");
    changed.addAll(lines.subList(indexOfStep(4), lines.size()));

    RowsVerdict verdict = CHECK.check(variant("resumed", changed));

    assertThat(verdict.exact()).as(verdict.problems().toString()).isTrue();
    assertThat(verdict.problems()).isEmpty();
  }

  @Test
  void aLineThatIsNotJsonWithNoResumeAfterItIsAProblem() throws Exception {
    List<String> changed = new ArrayList<>(lines);
    changed.add(indexOfStep(3), "{\"type\":\"step\",\"st");

    RowsVerdict verdict = CHECK.check(variant("torn", changed));

    assertThat(verdict.problems()).anyMatch(p -> p.startsWith("a line that is not JSON, with no resume after it"));
  }
}
