package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * H v by the R-operator against torch 1.13's {@code torch.autograd.functional.hvp} (float64) on
 * the summed loss, with parameters 0.5 sin(1.3 i + 0.2), direction cos(0.7 i) and float32 inputs
 * 0.8 sin(0.9 i + 0.1) in dptrain's layout (each layer's [in, out] weights, then its bias):
 * {@code tools/golden/torch_hvp.py} prints them.
 */
class HessianVectorTest {
  private static final double[] TANH_CE = {-0.08789788968772813, 0.15916189954742974, -0.08510058959348338,
      -0.049902991976194716, 0.2692990192140748, -0.6311470536960256, 0.12094310723661916, 0.21586914899973753,
      0.4226958332187317, -0.9438165385637765, 0.23545948258019758, 0.3182758381116662, 1.0480899864449555,
      -0.9422628836796572, 0.5496860637571517, 0.3774995481423563, 0.4771459617982846, 0.08482757755088803,
      -0.5619735393491726, 0.19029900680618878, 0.1140849050706833, -0.304383911876872, 0.20282819873927665,
      0.4450892504903902, -0.647917449229667, -0.2668561382201894, 0.30924333787290303, -0.0423871996527135,
      0.16332919663182205, 0.23837241400098108, -0.40170161063280313};
  private static final double[] SOFTPLUS_MSE = {0.39301053628535276, -0.07716925640676092, 0.24165408151846737,
      -0.13915163627664706, -0.3303740703964022, 0.6183565356911601, -0.770364500613398, 0.08222431235232103,
      0.03460699204282021, -0.04714285500374612, 1.8533632561718472, -2.8587011242841123, 0.8926281036611484,
      0.17736665426759968, 0.09736260571015562, 1.89296677061143, 4.775841746261814, 2.575221045922802,
      6.146639688270726, 1.5321675478528316, 4.138834265391505, 0.7492871744716074, 2.853515566216694,
      0.8896268807234378, 3.4559985962867965, 1.9332144979711268, 5.629596765403231};

  private static float[] inputs(int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) (0.8 * Math.sin(0.9 * i + 0.1));
    }
    return x;
  }

  private static double[] product(ModelSpec spec, Dataset data, int rows, double[] loss) {
    int size = (int) new ParameterLayout(spec).size();
    double[] theta = IntStream.range(0, size).mapToDouble(i -> 0.5 * Math.sin(1.3 * i + 0.2)).toArray();
    double[] v = IntStream.range(0, size).mapToDouble(i -> Math.cos(0.7 * i)).toArray();
    double[] hv = new double[size];
    loss[0] = new HessianVector(spec).product(theta, v, data, IntStream.range(0, rows).toArray(), hv);
    return hv;
  }

  private static void assertRelative(double[] actual, double[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double scale = java.util.Arrays.stream(expected).map(Math::abs).max().orElseThrow();
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("(H v)[%d]", i).isCloseTo(expected[i], Offset.offset(1e-9 * scale));
    }
  }

  @Test
  void aTanhNetworkUnderSoftmaxCrossEntropyMatchesTorch() {
    var data = Dataset.labelled(inputs(15), 3, new int[] {0, 2, 1, 1, 0});
    double[] loss = new double[1];
    double[] hv = product(new ModelSpec(List.of(3, 4, 3), "tanh", "softmax", "ce"), data, 5, loss);

    assertThat(loss[0]).isCloseTo(5.7929620229055825, Offset.offset(1e-12));
    assertRelative(hv, TANH_CE);
  }

  @Test
  void aSoftplusNetworkUnderMeanSquaredErrorMatchesTorch() {
    float[] y = new float[8];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (0.5 + 0.4 * Math.cos(1.1 * i));
    }
    var data = Dataset.regression(inputs(8), 2, y, 2);
    double[] loss = new double[1];
    double[] hv = product(new ModelSpec(List.of(2, 5, 2), "softplus", "identity", "mse"), data, 4, loss);

    assertThat(loss[0]).isCloseTo(0.4234909555435862, Offset.offset(1e-12));
    assertRelative(hv, SOFTPLUS_MSE);
  }

  @Test
  void rowsAddUpAndNetworksWithoutAnExactCurvatureAreRefused() {
    var spec = new ModelSpec(List.of(3, 4, 3), "tanh", "softmax", "ce");
    var data = Dataset.labelled(inputs(15), 3, new int[] {0, 2, 1, 1, 0});
    int size = (int) new ParameterLayout(spec).size();
    double[] theta = IntStream.range(0, size).mapToDouble(i -> 0.5 * Math.sin(1.3 * i + 0.2)).toArray();
    double[] v = IntStream.range(0, size).mapToDouble(i -> Math.cos(0.7 * i)).toArray();
    double[] first = new double[size];
    double[] second = new double[size];
    new HessianVector(spec).product(theta, v, data, new int[] {0, 1}, first);
    new HessianVector(spec).product(theta, v, data, new int[] {2, 3, 4}, second);
    double[] sum = IntStream.range(0, size).mapToDouble(i -> first[i] + second[i]).toArray();
    assertRelative(sum, TANH_CE);

    assertThatThrownBy(() -> new HessianVector(new ModelSpec(List.of(3, 4, 3), "tanh", "softmax", "mae")))
        .hasMessageContaining("need --loss ce (softmax), bce (sigmoid) or mse with --output identity");
    assertThat(HessianVector.unsupported(new ModelSpec(List.of(3, 4, 3), "soboleva:1,1,1,1", "softmax", "ce")))
        .contains("second derivative");
  }
}
