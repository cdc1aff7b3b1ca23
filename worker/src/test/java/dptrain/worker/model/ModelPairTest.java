package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.data.SyntheticData;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model pair is two networks in one flat vector, each trained on its own rows: its gradient is
 * the two networks' gradients side by side, and a network without rows in the batch gets zeros.
 */
class ModelPairTest {
  private static final ModelSpec ONE = new ModelSpec(List.of(2, 5, 2), "tanh", "softmax", "ce");

  @Test
  void eachNetworkLearnsFromItsOwnRowsOnlyAndOneWithoutRowsGetsZeros() {
    Dataset a = SyntheticData.spirals(6, new SplittableRandom(1));
    Dataset b = SyntheticData.spirals(4, new SplittableRandom(2));
    Dataset pair = Dataset.pair(a, b);
    Mlp both = new Mlp(ONE.withCopies(2), Precision.FLOAT64);
    Mlp single = new Mlp(ONE, Precision.FLOAT64);
    int size = (int) single.layout().size();
    assertThat(both.layout().size()).isEqualTo(2L * size);
    double[] theta = new double[2 * size];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = Math.sin(1.0 + i);
    }
    ParameterViews params = new ParameterViews(both.layout(), Nd4j.createFromArray(theta));
    ParameterViews gradient = both.allocate();
    gradient.flat().assign(7);
    double loss = both.gradient(params, pair, new int[] {7, 0, 2, 9}, gradient);

    ParameterViews first = new ParameterViews(single.layout(), Nd4j.createFromArray(Arrays.copyOfRange(theta, 0, size)));
    ParameterViews second = new ParameterViews(single.layout(), Nd4j.createFromArray(Arrays.copyOfRange(theta, size, 2 * size)));
    ParameterViews g1 = single.allocate();
    ParameterViews g2 = single.allocate();
    double l1 = single.gradient(first, a, new int[] {0, 2}, g1);
    double l2 = single.gradient(second, b, new int[] {1, 3}, g2);
    assertThat(loss).isCloseTo(l1 + l2, within(1e-12));
    double[] g = gradient.flat().toDoubleVector();
    assertThat(Arrays.copyOfRange(g, 0, size)).containsExactly(g1.flat().toDoubleVector(), within(1e-12));
    assertThat(Arrays.copyOfRange(g, size, 2 * size)).containsExactly(g2.flat().toDoubleVector(), within(1e-12));

    both.gradient(params, pair, new int[] {1, 3}, gradient);
    assertThat(Arrays.copyOfRange(gradient.flat().toDoubleVector(), size, 2 * size)).as("network B had no rows").containsOnly(0.0);
    assertThat(both.evaluate(params, pair, new int[] {7, 0, 2, 9}).lossSum()).isCloseTo(
        single.evaluate(first, a, new int[] {0, 2}).lossSum() + single.evaluate(second, b, new int[] {1, 3}).lossSum(),
        within(1e-12));
    double[] outputs = both.predict(params, pair, new int[] {7, 0});
    assertThat(Arrays.copyOfRange(outputs, 0, 2)).containsExactly(single.predict(second, b, new int[] {1}), within(1e-14));
    assertThat(Arrays.copyOfRange(outputs, 2, 4)).containsExactly(single.predict(first, a, new int[] {0}), within(1e-14));
  }
}
