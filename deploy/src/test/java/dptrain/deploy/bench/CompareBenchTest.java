package dptrain.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench compare} runs dptrain and the PyTorch peer as cold processes and tables them side by side. */
class CompareBenchTest {
  @TempDir
  Path dir;

  @Test
  void tablesDptrainNextToPyTorchFromTheirOwnEpochLines() throws Exception {
    Path out = dir.resolve("out");
    var run = TrainCommandTest.run("bench", "compare", "--epochs", "1", "--dptrain", "1x1", "--peers", "torch",
        "--target-accuracy", "0.5", "--out", out.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
    assertThat(csv).hasSize(4); // header, dptrain, pytorch at 1 and at 2 threads
    for (String row : csv.subList(1, csv.size())) {
      String[] f = row.split(",", -1);
      assertThat(Double.parseDouble(f[3])).as("mean samples/s of " + row).isPositive();
      assertThat(Double.parseDouble(f[6])).as("one epoch of the default job passes 50% accuracy: " + row).isGreaterThan(0.5);
      assertThat(Double.parseDouble(f[4])).as("wall seconds to 50%").isPositive();
      assertThat(f[8]).as("no failure").isEmpty();
    }
    assertThat(csv.get(1)).startsWith("dptrain,1 node(s) x 1 lane(s)");
    assertThat(csv.get(2)).startsWith("pytorch,1 process(es) x 1 thread(s)");
    assertThat(run.out()).contains("dptrain 1 node(s) x 1 lane(s) mean samples/s:").contains("PyTorch's fastest");
    assertThat(ImageIO.read(out.resolve("compare-throughput.png").toFile())).isNotNull();
    assertThat(out.resolve("logs")).isDirectoryContaining(p -> p.getFileName().toString().contains("pytorch"));
  }

  @Test
  void refusesAMalformedLayout() {
    var run = TrainCommandTest.run("bench", "compare", "--dptrain", "2by2", "--peers", "none", "--out", dir.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--dptrain layouts are NODESxLANES");
  }
}
