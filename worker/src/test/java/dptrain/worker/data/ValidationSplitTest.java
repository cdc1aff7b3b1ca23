package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.DataSpec;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {
  /** 1000 rows: class 0 has 700, class 1 has 200, class 2 has 100; feature = row index. */
  private static Dataset unbalanced() {
    int[] labels = IntStream.range(0, 1000).map(i -> i < 700 ? 0 : i < 900 ? 1 : 2).toArray();
    float[] x = new float[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return Dataset.labelled(x, 1, labels);
  }

  @Test
  void theHeldOutRowsKeepTheClassProportionsAndPartitionTheRows() {
    var rows = ValidationSplit.of(unbalanced(), 0.1, 7);

    assertThat(rows.validation()).hasSize(100);
    assertThat(Arrays.stream(rows.validation()).filter(r -> r < 700).count()).isEqualTo(70);
    assertThat(Arrays.stream(rows.validation()).filter(r -> r >= 700 && r < 900).count()).isEqualTo(20);
    assertThat(Arrays.stream(rows.validation()).filter(r -> r >= 900).count()).isEqualTo(10);
    int[] all = IntStream.concat(Arrays.stream(rows.train()), Arrays.stream(rows.validation())).sorted().toArray();
    assertThat(all).isEqualTo(IntStream.range(0, 1000).toArray());
  }

  @Test
  void theSplitIsAFunctionOfTheSeed() {
    assertThat(ValidationSplit.of(unbalanced(), 0.2, 3).validation())
        .isEqualTo(ValidationSplit.of(unbalanced(), 0.2, 3).validation())
        .isNotEqualTo(ValidationSplit.of(unbalanced(), 0.2, 4).validation());
  }

  @Test
  void theValidationSetIsTakenOutOfTrainingUnlessItIsAlsoTrainedOn() {
    var data = new TrainTestData(unbalanced(), unbalanced(), "unbalanced");

    var heldOut = ValidationSplit.apply(data, new DataSpec("x", 1, 5, "none", 0.25, false));
    assertThat(heldOut.validation().rows()).isEqualTo(250);
    assertThat(heldOut.train().rows()).isEqualTo(750);
    var both = ValidationSplit.apply(data, new DataSpec("x", 1, 5, "none", 0.25, true));
    assertThat(both.validation().rows()).isEqualTo(250);
    assertThat(both.train().rows()).isEqualTo(1000);
    assertThat(both.validation().input(0, 0)).isEqualTo(heldOut.validation().input(0, 0));
  }

  @Test
  void aFractionThatLeavesAnEmptyPartIsRefused() {
    var tiny = new TrainTestData(Dataset.labelled(new float[] {1, 2}, 1, new int[] {0, 1}), unbalanced(), "tiny");

    assertThatThrownBy(() -> ValidationSplit.apply(tiny, new DataSpec("x", 1, 5, "none", 0.1, false)))
        .hasMessageContaining("leaves 0 validation");
  }
}
