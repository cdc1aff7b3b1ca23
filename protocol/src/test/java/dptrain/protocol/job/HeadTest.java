package dptrain.protocol.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadTest {

  @Test
  void headsAreWidthLossAndAnOptionalWeight() {
    var heads = Head.parse("10:ce, 1:mse:0.5");
    assertThat(heads).containsExactly(new Head(10, "ce", 1), new Head(1, "mse", 0.5));
    assertThat(Head.outputs(heads)).isEqualTo(11);
    assertThat(Head.targetColumns(heads)).as("one class index, one real value").isEqualTo(2);
    assertThat(Head.text(heads)).isEqualTo("10:ce,1:mse:0.5");
    assertThat(heads.get(0).outputActivation()).isEqualTo("softmax");
    assertThat(Head.parse("1:bce,3:huber").get(1).targetColumns()).isEqualTo(3);
  }

  @Test
  void badHeadsAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Head.parse("10:ce")).hasMessageContaining("at least two heads");
    assertThatThrownBy(() -> Head.parse("10:ce,1")).hasMessageContaining("WIDTH:LOSS[:WEIGHT]");
    assertThatThrownBy(() -> Head.parse("10:ce,x:mse")).hasMessageContaining("needs a whole width");
    assertThatThrownBy(() -> Head.parse("10:ce,1:softmax")).hasMessageContaining("'softmax' is not one of ce, bce");
    assertThatThrownBy(() -> Head.parse("1:ce,1:mse")).hasMessageContaining("a ce head needs at least 2 output(s)");
    assertThatThrownBy(() -> Head.parse("10:ce,1:mse:0")).hasMessageContaining("weight must be a finite number > 0");
  }

  @Test
  void aModelWithHeadsHasTheirOutputsAndTheMultitaskLoss() {
    var trunk = new ModelSpec(List.of(4, 8, 3), "relu", "softmax", "ce");
    var multitask = trunk.withHeads(Head.parse("2:ce,1:mse"));
    assertThat(multitask.isMultitask()).isTrue();
    assertThat(multitask.loss()).isEqualTo(ModelSpec.MULTITASK);
    assertThat(multitask.withLabelSmoothing(0.1).labelSmoothing()).as("smooths the ce head").isEqualTo(0.1);
    assertThat(trunk.withHeads(List.of())).isSameAs(trunk);
    assertThatThrownBy(() -> trunk.withHeads(Head.parse("10:ce,1:mse")))
        .hasMessageContaining("--heads 10:ce,1:mse has 11 outputs; the model's output layer has 3");
    assertThatThrownBy(() -> trunk.withHeads(Head.parse("2:bce,1:mse")).withLabelSmoothing(0.1))
        .hasMessageContaining("label smoothing is for the ce loss");
    assertThatThrownBy(() -> new ModelSpec(List.of(4, 3), "relu", ModelSpec.MULTITASK, ModelSpec.MULTITASK))
        .hasMessageContaining("needs its heads");
  }
}
