package dptrain.protocol.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelGrammarTest {

  @Test
  void plainWidthsAreDenseLayersWithTheDefaultActivation() {
    var layers = ModelGrammar.parse("784-256-128-10");

    assertThat(layers.widths()).containsExactly(784, 256, 128, 10);
    assertThat(layers.activations()).containsExactly("", "");
    assertThat(layers.outputActivation()).isEmpty();
    assertThat(layers.keep()).containsExactly(1.0, 1.0, 1.0);
  }

  @Test
  void dropoutAndPerLayerActivationsIncludingDashedNames() {
    var layers = ModelGrammar.parse("784-dropout:0.8-512:leaky-relu:0.1-dropout:0.5-256:gelu-10:softmax");

    assertThat(layers.widths()).containsExactly(784, 512, 256, 10);
    assertThat(layers.activations()).containsExactly("leaky-relu:0.1", "gelu");
    assertThat(layers.outputActivation()).isEqualTo("softmax");
    assertThat(layers.keep()).containsExactly(0.8, 0.5, 1.0);
    assertThat(layers.gaussian()).containsExactly(0.0, 0.0, 0.0);
    var gaussian = ModelGrammar.parse("4-gdropout:0.5-8-3");
    assertThat(gaussian.gaussian()).containsExactly(0.5, 0.0);
    assertThat(gaussian.keep()).containsExactly(1.0, 1.0);
    var spec = new ModelSpec(layers.widths(), "relu", "softmax", "ce", layers.activations(), layers.keep(),
        layers.gaussian());
    assertThat(spec.activationOf(0)).isEqualTo("leaky-relu:0.1");
    assertThat(new ModelSpec(List.of(2, 3, 1), "tanh", "sigmoid", "bce").activationOf(0)).isEqualTo("tanh");
  }

  @Test
  void malformedModelsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropout:1.5-10")).hasMessageContaining("keep probability in (0, 1]");
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropout:0-10")).hasMessageContaining("keep probability in (0, 1]");
    assertThatThrownBy(() -> ModelGrammar.parse("784-10-dropout:0.5")).hasMessageContaining("dropout must precede a dense layer");
    assertThatThrownBy(() -> ModelGrammar.parse("784-maxpool-10")).hasMessageContaining("'maxpool' is not a width");
    assertThatThrownBy(() -> ModelGrammar.parse("784")).hasMessageContaining("at least one layer");
    assertThatThrownBy(() -> ModelGrammar.parse("784-gdropout:-1-10")).hasMessageContaining("gdropout takes a standard deviation > 0");
    assertThatThrownBy(() -> ModelGrammar.parse("784:relu-10")).hasMessageContaining("input width 784 takes no activation");
  }
}
