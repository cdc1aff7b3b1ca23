package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter sharing: a tied autoencoder 4-3-4 whose decoder uses the encoder's weight
 * transposed holds one copy of it, computes what the untied network with W2 = W1^T computes, and
 * its shared weight's gradient is the sum of the untied network's two weight gradients.
 */
class TiedLayersTest {
  private static ModelSpec spec(String model) {
    var layers = ModelGrammar.parse(model);
    return new ModelSpec(layers.widths(), "tanh", "identity", "mse", layers.layers());
  }

  private static final int[] ROWS = {0, 1, 2, 3, 4};

  /** Five rows that are their own targets. */
  private static Dataset reconstruction() {
    SplittableRandom random = new SplittableRandom(2);
    float[] x = new float[5 * 4];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return Dataset.regression(x, 4, x.clone(), 4);
  }

  @Test
  void theTiedNetworkIsTheUntiedOneWithTheTransposeAndSumsBothGradients() {
    Mlp tied = new Mlp(spec("4-3-tied:1-4"), Precision.FLOAT64);
    Mlp untied = new Mlp(spec("4-3-4"), Precision.FLOAT64);
    assertThat(tied.layout().size()).as("one 4x3 weight, two biases").isEqualTo(4 * 3 + 3 + 4);
    assertThat(untied.layout().size()).isEqualTo(4 * 3 + 3 + 3 * 4 + 4);

    SplittableRandom random = new SplittableRandom(7);
    double[] theta = new double[(int) tied.layout().size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = random.nextDouble(-0.9, 0.9);
    }
    // The untied copy: W1, b1, then W2 = W1^T and b2.
    double[] copy = new double[(int) untied.layout().size()];
    System.arraycopy(theta, 0, copy, 0, 15);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        copy[15 + j * 4 + i] = theta[i * 3 + j];
      }
    }
    System.arraycopy(theta, 15, copy, 27, 4);
    Dataset data = reconstruction();
    ParameterViews tiedParams = new ParameterViews(tied.layout(), Nd4j.createFromArray(theta));
    ParameterViews untiedParams = new ParameterViews(untied.layout(), Nd4j.createFromArray(copy));

    assertThat(tied.predict(tiedParams, data, ROWS)).containsExactly(untied.predict(untiedParams, data, ROWS), within(1e-14));
    ParameterViews g = tied.allocate();
    ParameterViews u = untied.allocate();
    double tiedLoss = tied.gradient(tiedParams, data, ROWS, g);
    assertThat(tiedLoss).isCloseTo(untied.gradient(untiedParams, data, ROWS, u), within(1e-13));
    double[] shared = g.flat().toDoubleVector();
    double[] apart = u.flat().toDoubleVector();
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 3; j++) {
        assertThat(shared[i * 3 + j]).as("shared weight (%d, %d): encoder's gradient plus the decoder's, transposed", i, j)
            .isCloseTo(apart[i * 3 + j] + apart[15 + j * 4 + i], within(1e-13));
      }
    }
    for (int k = 0; k < 4; k++) {
      assertThat(shared[15 + k]).as("the decoder's own bias").isCloseTo(apart[27 + k], within(1e-13));
    }
  }

  @Test
  void tiedLayersThatDoNotMirrorOrCannotShareAreRefused() {
    assertThatThrownBy(() -> new ParameterLayout(spec("4-3-tied:1-5")))
        .hasMessageContaining("tied layers must mirror: dense layer 2 is 3x5, layer 1 is 4x3 (its transpose would be 3x4)");
    assertThatThrownBy(() -> new ParameterLayout(spec("4-6:maxout:2-tied:1-4")))
        .hasMessageContaining("tied layers must mirror");
    assertThatThrownBy(() -> new ParameterLayout(spec("4-3:rbf-tied:1-4")))
        .hasMessageContaining("not maxout or rbf");
    assertThatThrownBy(() -> new ParameterLayout(spec("4-dropconnect:0.5-3-tied:1-4")))
        .hasMessageContaining("tied layers take no dropconnect");
    assertThatThrownBy(() -> new ParameterLayout(spec("4-3-tied:1-4-tied:2-3")))
        .hasMessageContaining("which is tied itself");
  }
}
