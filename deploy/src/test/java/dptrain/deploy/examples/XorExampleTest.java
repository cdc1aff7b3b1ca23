package dptrain.deploy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lecture's XOR experiment on the real trainer, on seeds 0-4: weights from U(-10, 10)
 * saturate the sigmoids and leave some seeds unsolved; N(0, 1/fan_in) solves every one.
 */
class XorExampleTest {
  @TempDir
  Path dir;

  @Test
  void largeUniformWeightsFailOnSomeSeedsWhereScaledNormalWeightsSucceed() throws Exception {
    var uniform = XorExample.run(dir, "uniform:10", 5, 1000);
    var scaled = XorExample.run(dir, "lecun-normal", 5, 1000);

    assertThat(uniform.failedSeeds()).isNotEmpty();
    assertThat(scaled.failedSeeds()).isEmpty();
    assertThat(scaled.meanLoss()).isLessThan(uniform.meanLoss());
  }
}
