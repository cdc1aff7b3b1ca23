package dptrain.deploy.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dptrain simulate as a user runs it: a table per worker count and its charts, or one line for bad input. */
class SimulateCommandTest {
  @TempDir
  Path dir;

  @Test
  void predictsEachWorkerCountAndDrawsTheCurves() throws Exception {
    var result = TrainCommandTest.run("simulate", "--workers", "1,2,64", "--steps", "10", "--bandwidth", "10Gbit/s", "--latency",
        "50us", "--out", dir.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("costs (built in: calibrated").contains("| nodes | samples/s | speedup |");
    assertThat(result.out().lines().filter(l -> l.matches("\\| (1|2|64) \\| [0-9,]+ \\|.*"))).hasSize(3);
    assertThat(dir.resolve("simulate-throughput.png")).isNotEmptyFile();
    assertThat(dir.resolve("simulate-efficiency.png")).isNotEmptyFile();
  }

  @Test
  void costsWrittenByACalibrationAreReadBack() throws Exception {
    Path file = dir.resolve("costs.conf");
    Costs.BUILT_IN.write(file);

    assertThat(Costs.read(file)).isEqualTo(new Costs(Costs.BUILT_IN.measuredOn(), 235_146, 0.667, 0.027344, 4.6779, 0.24666,
        0.28280, 0.07680, 0.31080, 3.10332, 0.44367, 2, 1.463));
    var result = TrainCommandTest.run("simulate", "--costs", file.toString(), "--workers", "1", "--steps", "5", "--out",
        dir.resolve("out").toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
  }

  @Test
  void badInputIsOneLineAndExitCodeTwo() {
    var straggler = TrainCommandTest.run("simulate", "--straggler", "often", "--out", dir.toString());
    var bandwidth = TrainCommandTest.run("simulate", "--bandwidth", "fast", "--out", dir.toString());
    var costs = TrainCommandTest.run("simulate", "--costs", dir.resolve("none.conf").toString(), "--out", dir.toString());

    assertThat(straggler.exitCode()).isEqualTo(2);
    assertThat(straggler.err()).contains("--straggler takes P:F");
    assertThat(bandwidth.exitCode()).isEqualTo(2);
    assertThat(bandwidth.err()).contains("a bandwidth is a number with B/s or bit/s");
    assertThat(costs.exitCode()).isEqualTo(2);
    assertThat(costs.err()).contains("cannot read the costs file");
  }

  @Test
  void aRunFolderIsComparedWithTheSimulationOfItsLayout() throws Exception {
    Path run = dir.resolve("run");
    var trained = TrainCommandTest.run("train", "--data", "synthetic:spirals", "--model", "2-16:tanh-2", "--batch", "50",
        "--epochs", "3", "--run-dir", run.toString());
    assertThat(trained.exitCode()).as(trained.err()).isZero();

    var result = TrainCommandTest.run("simulate", "--compare-runs", run.toString(), "--machine", "shared", "--steps", "10",
        "--out", dir.resolve("out").toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).containsPattern("\\| run \\| 1 x 1 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9,]+ \\| [0-9,]+ \\| [+-][0-9.]+% \\|");
    assertThat(Files.readString(dir.resolve("out").resolve("compared-runs.md"))).contains("| run | 1 x 1 |");
  }
}
