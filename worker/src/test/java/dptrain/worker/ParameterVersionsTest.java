package dptrain.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.tensor.TensorChunk;
import dptrain.worker.model.ParameterLayout;
import dptrain.worker.model.ParameterViews;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterVersionsTest {
  // 2-1 network: weight [2, 1] then bias [1]: three parameters.
  private final ParameterVersions versions = new ParameterVersions(new ParameterLayout(List.of(2, 1)),
      () -> ParameterViews.allocate(new ParameterLayout(List.of(2, 1)), DataType.FLOAT));

  @Test
  void aVersionBecomesCurrentWhenEveryValueHasArrived() {
    assertThat(versions.accept(0, TensorChunk.of(0, 1f, 2f))).isFalse();
    assertThat(versions.accept(0, TensorChunk.of(2, 3f))).isTrue();

    assertThat(versions.currentVersion()).isZero();
    assertThat(versions.current().flat().toFloatVector()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void chunksCutAtOtherBoundariesDoNotCompleteAVersionWithHoles() {
    assertThat(versions.accept(0, TensorChunk.of(0, 1f, 2f))).isFalse();
    // overlaps [0, 2): refused, although its length would make the count reach 3
    assertThat(versions.accept(0, TensorChunk.of(1, 9f))).isFalse();
    assertThat(versions.currentVersion()).isEqualTo(-1);
    assertThat(versions.accept(0, TensorChunk.of(2, 3f))).isTrue();
    assertThat(versions.current().flat().toFloatVector()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void aChunkThatArrivesTwiceCountsOnce() {
    versions.accept(0, TensorChunk.of(0, 1f, 2f));

    assertThat(versions.accept(0, TensorChunk.of(0, 1f, 2f))).isFalse();
    assertThat(versions.currentVersion()).isEqualTo(-1);
  }

  @Test
  void theCurrentVersionStaysIntactWhileTheNextOneFills() {
    versions.accept(0, TensorChunk.of(0, 1f, 2f, 3f));

    versions.accept(1, TensorChunk.of(0, 9f, 9f));

    assertThat(versions.currentVersion()).isZero();
    assertThat(versions.current().flat().toFloatVector()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void chunksOfOlderVersionsAreIgnored() {
    versions.accept(1, TensorChunk.of(0, 1f, 2f, 3f));

    assertThat(versions.accept(0, TensorChunk.of(0, 5f, 5f, 5f))).isFalse();
    assertThat(versions.current().flat().toFloatVector()).containsExactly(1f, 2f, 3f);
  }

  @Test
  void aChunkOutsideTheParametersIsRefused() {
    assertThatThrownBy(() -> versions.accept(0, TensorChunk.of(2, 1f, 2f))).hasMessageContaining("outside the 3 parameters");
  }
}
