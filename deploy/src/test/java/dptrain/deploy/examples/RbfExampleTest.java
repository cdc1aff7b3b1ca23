package dptrain.deploy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import dptrain.protocol.tensor.NpyFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RbfExampleTest {
  @TempDir
  Path dir;

  @Test
  void withFewUnitsThreeStepLearningBeatsTwoStepLearning() throws Exception {
    var row = RbfExample.run(dir.resolve("six"), 6, 50);

    assertThat(row.threeStep().testLoss()).isLessThan(row.twoStep().testLoss());
    assertThat(row.threeStep().testAccuracy()).isGreaterThan(row.twoStep().testAccuracy() + 0.1);
    // Step 2 kept the k-means centres and widths: the frozen ranges did not move.
    double[] placed = NpyFile.read(dir.resolve("six/1-place/params.npy")).toDoubles();
    double[] fitted = NpyFile.read(dir.resolve("six/2-output/params.npy")).toDoubles();
    int centresAndWidths = 2 * 6 + 6;
    for (int i = 0; i < centresAndWidths; i++) {
      assertThat(fitted[i]).as("centre or width %d", i).isEqualTo(placed[i]);
    }
    assertThat(fitted[centresAndWidths]).as("an output weight").isNotEqualTo(placed[centresAndWidths]);
  }

  @Test
  void theCentresDoNotDependOnHowManyWorkersShareTheRows() {
    double[] one = place(1);
    double[] three = place(3);

    assertThat(three).containsExactly(one, org.assertj.core.data.Offset.offset(1e-9));
  }

  private double[] place(int workers) {
    var settings = TestJobs.settings(dir.resolve("place-" + workers), "data", "synthetic:spirals", "model", "2-12:rbf-2",
        "rbf-stage", "place", "workers", workers, "ps-shards", 1);
    return TestJobs.train(settings, false).parameters().toDoubles();
  }
}
