package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each activation's value at known points (derivatives: MlpGradientCheckTest). */
class ActivationTest {
  private static double f(String name, double z) {
    return Activation.fromName(name).value(z);
  }

  @Test
  void valuesMatchTheirDefinitions() {
    Offset<Double> tight = Offset.offset(1e-15);
    assertThat(f("binary-step", -0.1)).isZero();
    assertThat(f("binary-step", 0)).isEqualTo(1);
    assertThat(f("lecun-tanh", 1)).isCloseTo(1.7159 * Math.tanh(2.0 / 3.0), tight);
    assertThat(f("soboleva:1,1,1,1", 0.7)).isCloseTo(Math.tanh(0.7), tight);
    assertThat(f("leaky-relu", -2)).isCloseTo(-0.02, tight);
    assertThat(f("leaky-relu:0.2", -2)).isCloseTo(-0.4, tight);
    assertThat(f("gelu", 1)).isCloseTo(0.8413447460685429, tight);
    assertThat(f("gelu", -2)).isCloseTo(-0.04550026389635842, Offset.offset(1e-16));
    assertThat(f("elu", -1)).isCloseTo(Math.exp(-1) - 1, tight);
    assertThat(f("selu", -1)).isCloseTo(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), tight);
    assertThat(f("silu", 1)).isCloseTo(0.7310585786300049, tight);
    assertThat(f("gaussian", 1)).isCloseTo(Math.exp(-1), tight);
    assertThat(f("softplus", 0)).isCloseTo(Math.log(2), tight);
    assertThat(f("softplus", 800)).isEqualTo(800);
  }

  @Test
  void theErrorFunctionIsAccurateToTheLastFewBits() {
    double[][] known = {{0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
        {2, 0.9953222650189527}, {-3, -0.9999779095030014}, {5, 0.9999999999984626}};
    for (double[] pair : known) {
      assertThat(Erf.erf(pair[0])).as("erf(%s)", pair[0]).isCloseTo(pair[1], Offset.offset(2e-16 * 4));
    }
  }

  @Test
  void badNamesAndParametersAreRefusedListingTheAllowedOnes() {
    assertThatThrownBy(() -> Activation.fromName("swish")).hasMessageContaining("unknown activation 'swish'")
        .hasMessageContaining("leaky-relu[:alpha]");
    assertThatThrownBy(() -> Activation.fromName("soboleva:1,2")).hasMessageContaining("takes 4 parameter(s)");
    assertThatThrownBy(() -> Activation.fromName("elu:x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Activation.fromName("gelu:1")).hasMessageContaining("takes 0 parameter(s)");
  }

  @Test
  void namesRoundTripWithTheirParameters() {
    assertThat(Activation.fromName("leaky-relu:0.2").cliName()).isEqualTo("leaky-relu:0.2");
    assertThat(Activation.fromName("soboleva:2,1,1.5,0.5").cliName()).isEqualTo("soboleva:2,1,1.5,0.5");
    assertThat(Activation.fromName("relu")).isSameAs(Activation.RELU);
  }
}
