package dptrain.deploy.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config files with values of the wrong type or out of range, for the keys a run's size, layout
 * and schedule hang on: every one is refused before anything runs, with one line that names the
 * key, and no run folder is made.
 */
class HostileConfigTest {
  /** Keys whose values must be whole numbers of at least 1. */
  private static final List<String> COUNTS = List.of("epochs", "workers", "ps-shards", "eval-every", "keep-checkpoints",
      "targets");
  private static final List<String> NOT_COUNTS = List.of("\"many\"", "[1, 2]", "1.5", "-5", "0", "{ a = 1 }", "1e999",
      "\"\"", "true");
  /** Keys whose values must be finite numbers in a range. */
  private static final List<String> NUMBERS = List.of("lr", "validation", "momentum", "l2");
  private static final List<String> NOT_NUMBERS = List.of("\"fast\"", "[0.1]", "-1", "1e999", "{ a = 1 }", "\"NaN\"");

  @TempDir
  Path dir;

  @Test
  void everyWrongTypeOrOutOfRangeValueIsRefusedInOneLineNamingItsKeyAndNothingRuns() throws Exception {
    List<String> problems = new ArrayList<>();
    int cases = 0;
    for (String key : COUNTS) {
      for (String value : NOT_COUNTS) {
        cases++;
        check(key, value, problems);
      }
    }
    for (String value : NOT_COUNTS.stream().filter(v -> !v.equals("0")).toList()) { // 0 turns the grouping off
      cases++;
      check("reduction-groups", value, problems);
    }
    for (String key : NUMBERS) {
      for (String value : NOT_NUMBERS) {
        cases++;
        check(key, value, problems);
      }
    }
    assertThat(problems).as("of " + cases + " hostile values").isEmpty();
  }

  @Test
  void aFileThatIsNotHoconIsRefusedNamingTheFileAndTheLine() throws Exception {
    Path file = Files.writeString(dir.resolve("broken.conf"), "dptrain.train {\n  epochs = \n");

    var run = TrainCommandTest.run("train", "--config", file.toString(), "--run-dir", dir.resolve("run").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().strip()).startsWith("error: --config file " + file + " is not valid HOCON").contains(": 3:")
        .doesNotContain("\n");
    assertThat(dir.resolve("run")).doesNotExist();
  }

  private void check(String key, String value, List<String> problems) throws Exception {
    Path file = Files.writeString(dir.resolve("hostile.conf"), "dptrain.train { " + key + " = " + value + " }\n");
    Path runDir = dir.resolve("run-" + key);
    var run = TrainCommandTest.run("train", "--config", file.toString(), "--data", "synthetic:xor", "--model", "2-4-1",
        "--loss", "bce", "--quiet", "--run-dir", runDir.toString());
    String err = run.err().strip();
    // Either the value is refused (--KEY must be ...) or, for an object, its inner key is unknown ('KEY.a').
    boolean named = err.startsWith("error: --" + key + " ") || err.startsWith("error: unknown key '" + key + ".");
    if (run.exitCode() != 2 || err.contains("\n") || !named || Files.exists(runDir)) {
      problems.add(key + " = " + value + ": exit " + run.exitCode() + ", " + err.lines().findFirst().orElse("(nothing)"));
    }
  }
}
