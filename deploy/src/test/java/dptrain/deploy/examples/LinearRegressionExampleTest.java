package dptrain.deploy.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lecture's linear regression on the real trainer: every method ends near (b, w) = (2, 3). */
class LinearRegressionExampleTest {
  @TempDir
  Path dir;

  @Test
  void sgdMomentumAndNesterovAllEndWithinFiveHundredthsOfTheTrueLine() throws Exception {
    var rows = LinearRegressionExample.run(dir, 2, 1000);

    assertThat(rows).extracting(LinearRegressionExample.Row::method)
        .containsExactly("sgd", "momentum 0.6", "nesterov 0.8");
    for (var row : rows) {
      assertThat(row.b()).as(row.method() + " b").isCloseTo(2, Offset.offset(0.05));
      assertThat(row.w()).as(row.method() + " w").isCloseTo(3, Offset.offset(0.05));
    }
  }

  @Test
  void fewIterationsFromTheFarStartDoNotGetThere() throws Exception {
    var rows = LinearRegressionExample.run(dir, 1, 20);

    assertThat(Math.abs(rows.get(0).b() - 2)).isGreaterThan(0.5);
  }
}
