package dptrain.deploy.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir
  Path dir;

  @Test
  void comparesOptimizersOnTheSameDataAndDrawsOneLinePerOptimizer() throws Exception {
    var run = TrainCommandTest.run("compare", "--optimizers", "sgd:lr=0.5", "adam:lr=0.05", "--data", "synthetic:xor",
        "--model", "2-8-2", "--batch", "all", "--steps", "60", "--workers", "1", "--smooth", "1",
        "--run-dir", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> table = run.out().lines().filter(l -> l.startsWith("| sgd") || l.startsWith("| adam")).toList();
    assertThat(table).hasSize(2);
    double[] sgd = StepLosses.read(dir.resolve("0-sgd"));
    double[] adam = StepLosses.read(dir.resolve("1-adam"));
    assertThat(sgd).hasSize(60);
    assertThat(adam).hasSize(60);
    assertThat(sgd[0]).as("same data, seed and start: the first losses agree").isEqualTo(adam[0]);
    assertThat(adam[59]).isLessThan(adam[0]);
    BufferedImage png = ImageIO.read(dir.resolve("loss.png").toFile());
    assertThat(png.getWidth()).isEqualTo(900);
    // JFreeChart's first two series colours.
    assertThat(pixels(png, 0xff5555)).as("pixels of the first line's colour").isGreaterThan(100);
    assertThat(pixels(png, 0x5555ff)).as("pixels of the second line's colour").isGreaterThan(100);
  }

  @Test
  void aMalformedOptimizerItemIsRefusedWithExitCodeTwo() {
    var run = TrainCommandTest.run("compare", "--optimizers", "adam:lr", "--data", "synthetic:xor", "--run-dir", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'lr' in 'adam:lr' is not option=value");
  }

  private static long pixels(BufferedImage image, int rgb) {
    long count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          count++;
        }
      }
    }
    return count;
  }
}
