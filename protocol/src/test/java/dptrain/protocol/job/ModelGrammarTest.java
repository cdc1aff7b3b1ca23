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
    assertThat(layers.layers()).containsExactly(LayerSpec.PLAIN, LayerSpec.PLAIN, LayerSpec.PLAIN);
    assertThat(layers.outputActivation()).isEmpty();
  }

  @Test
  void dropoutAndPerLayerActivationsIncludingDashedNames() {
    var layers = ModelGrammar.parse("784-dropout:0.8-512:leaky-relu:0.1-dropout:0.5-256:gelu-10:softmax");

    assertThat(layers.widths()).containsExactly(784, 512, 256, 10);
    assertThat(layers.layers()).extracting(LayerSpec::activation).containsExactly("leaky-relu:0.1", "gelu", "softmax");
    assertThat(layers.outputActivation()).isEqualTo("softmax");
    assertThat(layers.layers()).extracting(LayerSpec::keep).containsExactly(0.8, 0.5, 1.0);
    var spec = new ModelSpec(layers.widths(), "relu", "softmax", "ce", layers.layers());
    assertThat(spec.activationOf(0)).isEqualTo("leaky-relu:0.1");
    assertThat(spec.activationOf(1)).isEqualTo("gelu");
    assertThat(new ModelSpec(List.of(2, 3, 1), "tanh", "sigmoid", "bce").activationOf(0)).isEqualTo("tanh");
  }

  @Test
  void noiseDropConnectAndBatchNormAttachToTheirLayers() {
    var layers = ModelGrammar.parse("784-gdropout:0.5-noise:0.1-dropconnect:0.7-512:relu-bn-256:maxout:3-bn:0.01-10");

    assertThat(layers.layers()).containsExactly(
        new LayerSpec("relu", 1, 0.5, 0.1, 0.7, 0.1),
        new LayerSpec("maxout:3", 1, 0, 0, 1, 0.01),
        LayerSpec.PLAIN);
  }

  @Test
  void aLayerCanNameItsOwnInitialisation() {
    var layers = ModelGrammar.parse("784-init:he-normal-512:relu-bn-init:orthogonal-256-10");

    assertThat(layers.inits()).containsExactly("he-normal", "orthogonal", "");
    assertThat(layers.layers().get(0).normalizesBatch()).isTrue();
    var second = ModelGrammar.parse("4-8-init:uniform:0.5-3");
    assertThat(second.inits()).containsExactly("", "uniform:0.5");
    assertThatThrownBy(() -> ModelGrammar.parse("4-init:orthogonal-init:he-normal-3")).hasMessageContaining("once");
  }

  @Test
  void aTiedLayerNamesTheEarlierLayerWhoseWeightItUsesTransposed() {
    var layers = ModelGrammar.parse("784-128:sigmoid-dropout:0.9-tied:1-784:sigmoid");

    assertThat(layers.layers()).extracting(LayerSpec::tiedTo).containsExactly(-1, 0);
    assertThat(layers.layers().get(1).keep()).as("dropout on the tied layer's input still applies").isEqualTo(0.9);
    assertThat(layers.layers().get(1).isTied()).isTrue();
    assertThatThrownBy(() -> ModelGrammar.parse("4-tied:1-2-4")).hasMessageContaining("must name an earlier dense layer");
    assertThatThrownBy(() -> ModelGrammar.parse("4-2-tied:2-4")).hasMessageContaining("tied names an earlier dense layer, 1..1");
    assertThatThrownBy(() -> ModelGrammar.parse("4-2-tied:1-tied:1-4")).hasMessageContaining("once");
  }

  @Test
  void malformedModelsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropout:1.5-10")).hasMessageContaining("keep probability in (0, 1]");
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropout:0-10")).hasMessageContaining("keep probability in (0, 1]");
    assertThatThrownBy(() -> ModelGrammar.parse("784-10-dropout:0.5")).hasMessageContaining("must precede a dense layer");
    assertThatThrownBy(() -> ModelGrammar.parse("784-maxpool-10")).hasMessageContaining("'maxpool' is not a width");
    assertThatThrownBy(() -> ModelGrammar.parse("784")).hasMessageContaining("at least one layer");
    assertThatThrownBy(() -> ModelGrammar.parse("784-gdropout:-1-10")).hasMessageContaining("gdropout takes a standard deviation > 0");
    assertThatThrownBy(() -> ModelGrammar.parse("784:relu-10")).hasMessageContaining("input width 784 takes no activation");
    assertThatThrownBy(() -> ModelGrammar.parse("784-bn-10")).hasMessageContaining("'bn' must follow a dense layer");
    assertThatThrownBy(() -> ModelGrammar.parse("784-10-bn")).hasMessageContaining("not the output");
    assertThatThrownBy(() -> ModelGrammar.parse("784-64-bn-bn-10")).hasMessageContaining("(once)");
    assertThatThrownBy(() -> ModelGrammar.parse("784-64-bn:2-10")).hasMessageContaining("bn takes a momentum in (0, 1]");
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropconnect:1.2-10")).hasMessageContaining("dropconnect takes a keep probability");
    assertThatThrownBy(() -> ModelGrammar.parse("784-noise:0-10")).hasMessageContaining("noise takes a standard deviation > 0");
    assertThatThrownBy(() -> ModelGrammar.parse("784-dropout:0.5-dropout:0.5-10")).hasMessageContaining("given twice");
  }
}
