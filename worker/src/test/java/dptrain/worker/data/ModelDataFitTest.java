package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDataFitTest {
  private final Dataset threeClasses = Dataset.labelled(new float[] {0, 1, 2, 3, 4, 5}, 2, new int[] {0, 2, 1});

  @Test
  void aModelWhoseWidthsFitTheDataIsAccepted() {
    assertThatCode(() -> ModelDataFit.check(new ModelSpec(List.of(2, 4, 3), "relu", "softmax", "ce"), threeClasses, "training"))
        .doesNotThrowAnyException();
  }

  @Test
  void anInputWidthThatDoesNotMatchTheFeaturesIsNamed() {
    assertThatThrownBy(() -> ModelDataFit.check(new ModelSpec(List.of(5, 3), "relu", "softmax", "ce"), threeClasses, "training"))
        .hasMessage("--model input width 5 does not match the training data's 2 features (use --model 2-...)");
  }

  @Test
  void aClassLabelBeyondTheOutputsIsOutOfRange() {
    assertThatThrownBy(() -> ModelDataFit.check(new ModelSpec(List.of(2, 2), "relu", "softmax", "ce"), threeClasses, "test"))
        .hasMessage("class label 2 in the test data is out of range for 2 outputs (allowed: 0..1)");
  }

  @Test
  void crossEntropyNeedsLabels() {
    Dataset real = Dataset.regression(new float[] {1, 2}, 1, new float[] {0.5f, 0.7f}, 1);

    assertThatThrownBy(() -> ModelDataFit.check(new ModelSpec(List.of(1, 2), "relu", "softmax", "ce"), real, "training"))
        .hasMessageContaining("needs class labels");
  }
}
