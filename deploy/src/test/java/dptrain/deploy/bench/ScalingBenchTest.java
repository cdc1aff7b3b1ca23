package dptrain.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench scaling} measures each layout over real remoting and leaves its table and charts. */
class ScalingBenchTest {
  @TempDir
  Path dir;

  @Test
  void writesOneRowPerLayoutAgainstOneWorkerAndItsThreeCharts() throws Exception {
    Path out = dir.resolve("out");
    var run = TrainCommandTest.run("bench", "scaling", "--data", "synthetic:spirals", "--model", "2-16-2", "--batch", "50",
        "--steps", "30", "--warmup-steps", "0", "--nodes", "1,2", "--workers-per-node", "1", "--mode", "sync",
        "--out", out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> csv = Files.readAllLines(out.resolve("scaling.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).startsWith("mode,nodes,lanes,workers,samples_per_s,speedup,efficiency");
    String[] one = csv.get(1).split(",");
    String[] two = csv.get(2).split(",");
    assertThat(List.of(one[0], one[1], one[3], one[5])).containsExactly("sync", "1", "1", "1.0000");
    assertThat(List.of(two[1], two[3])).containsExactly("2", "2");
    assertThat(Double.parseDouble(two[8])).as("gradient bytes per step of 2 workers").isGreaterThan(Double.parseDouble(one[8]));
    for (String chart : List.of("scaling-throughput.png", "scaling-efficiency.png", "scaling-split.png")) {
      var image = ImageIO.read(out.resolve(chart).toFile());
      assertThat(image).as(chart).isNotNull();
      assertThat(image.getWidth()).isEqualTo(900);
    }
  }

  @Test
  void refusesALayoutOfNoWorkers() {
    var run = TrainCommandTest.run("bench", "scaling", "--nodes", "0", "--out", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--nodes and --workers-per-node must be whole numbers >= 1");
  }
}
