package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gradient noise and the NaN/Inf guard on real clusters. */
class GradientHandlingIntegrationTest {
  @TempDir
  Path dir;

  private double[] spirals(String name, int workers, int shards, Object... extra) {
    Object[] base = {"data", "synthetic:spirals", "model", "2-16-2", "batch", 50, "steps", 30, "seed", 5,
        "optimizer", "sgd", "lr", 0.1, "dtype", "float64", "workers", workers, "ps-shards", shards};
    Object[] flags = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra)).toArray();
    return TestJobs.train(TestJobs.settings(dir.resolve(name), flags), false).parameters().toDoubles();
  }

  @Test
  void annealedGradientNoiseDoesNotDependOnHowTheClusterIsShaped() {
    double[] oneByOne = spirals("n11", 1, 1, "grad-noise", 0.01);
    double[] threeByTwo = spirals("n32", 3, 2, "grad-noise", 0.01);
    double[] quiet = spirals("q11", 1, 1);

    assertThat(TorchGoldenIntegrationTest.relativeDistance(threeByTwo, oneByOne)).isLessThan(1e-12);
    assertThat(TorchGoldenIntegrationTest.relativeDistance(quiet, oneByOne)).isGreaterThan(1e-4);
  }

  @Test
  void stepsWhoseGradientOverflowsAreSkippedCountedAndNeverApplied() throws Exception {
    // float32 features of 3e38 times weights of 2 overflow: every logit is infinite, every gradient NaN.
    Path csv = Files.writeString(dir.resolve("huge.csv"), "3e38,1,0\n1,3e38,1\n-3e38,2,0\n2,-3e38,1\n");
    Path init = dir.resolve("init.npy");
    NpyFile.write(init, FlatArray.of(Precision.FLOAT32, new double[] {2, 2, 2, 2, 0.1, -0.3}));

    var finished = TestJobs.train(TestJobs.settings(dir.resolve("nan"), "data", "csv:" + csv, "model", "2-2",
        "batch", 2, "steps", 6, "workers", 2, "ps-shards", 2, "optimizer", "sgd", "lr", 0.1,
        "init-params", init.toString()), false);

    assertThat(finished.skippedSteps()).isEqualTo(6);
    assertThat(finished.parameters().toDoubles()).containsExactly(NpyFile.read(init).toDoubles());
    assertThat(Files.readString(dir.resolve("nan").resolve("metrics.jsonl"))).contains("\"skipped\":true");
  }
}
