package dptrain.deploy.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTest {
  @TempDir
  Path dir;

  /** True class 0: 8 right, 2 called 1. True class 1: 1 called 0, 4 right. Class 2: never seen, never predicted. */
  private static ConfusionMatrix example() {
    ConfusionMatrix m = new ConfusionMatrix(3);
    for (int i = 0; i < 8; i++) {
      m.add(0, 0);
    }
    m.add(0, 1);
    m.add(0, 1);
    m.add(1, 0);
    for (int i = 0; i < 4; i++) {
      m.add(1, 1);
    }
    return m;
  }

  @Test
  void precisionRecallAndF1FollowTheirDefinitions() {
    ConfusionMatrix m = example();

    assertThat(m.precision(0)).isEqualTo(8.0 / 9);
    assertThat(m.recall(0)).isEqualTo(8.0 / 10);
    assertThat(m.f1(0)).isCloseTo(2 * (8.0 / 9) * 0.8 / (8.0 / 9 + 0.8), within(1e-12));
    assertThat(m.precision(1)).isEqualTo(4.0 / 6);
    assertThat(m.recall(1)).isEqualTo(4.0 / 5);
    assertThat(m.precision(2)).isNaN();
    assertThat(m.recall(2)).isNaN();
  }

  @Test
  void theTableListsEveryClassAndMacroMeansOverTheDefinedOnes() {
    String table = example().table();

    assertThat(table).contains("| 0 | 0.8889 | 0.8000 | 0.8421 | 10 |", "| 1 | 0.6667 | 0.8000 | 0.7273 | 5 |",
        "| 2 | - | - | - | 0 |", "| macro mean | 0.7778 | 0.8000 | 0.7847 | 15 |");
  }

  @Test
  void thePngIsAHeatMapOfTheCounts() throws Exception {
    Path png = dir.resolve("cm.png");
    example().drawPng(png, "example");

    var image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(760);
    assertThat(image.getHeight()).isEqualTo(720);
  }
}
