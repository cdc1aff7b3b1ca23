package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class FloatChunkTest {

  private static ByteBuffer nativeFloats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(values);
    return buffer;
  }

  @Test
  void aCopiedRangeCarriesItsValuesAsLittleEndianBytes() {
    FloatChunk chunk = FloatChunk.copyOf(10, nativeFloats(1f, 2f, 3f, 4f), 1, 2);

    assertThat(chunk.offset()).isEqualTo(10);
    assertThat(chunk.length()).isEqualTo(2);
    assertThat(chunk.end()).isEqualTo(12);
    assertThat(chunk.toArray()).containsExactly(2f, 3f);
    assertThat(chunk.data().toByteArray()).containsExactly(0, 0, 0, 64, 0, 0, 64, 64);
  }

  @Test
  void copyingIntoABufferWritesAtTheChunksPositionRelativeToTheBase() {
    ByteBuffer target = nativeFloats(0f, 0f, 0f, 0f);

    FloatChunk.of(102, 7f, 8f).copyInto(target, 100);

    float[] out = new float[4];
    target.asFloatBuffer().get(out);
    assertThat(out).containsExactly(0f, 0f, 7f, 8f);
  }

  @Test
  void aChunkThatDoesNotFitTheTargetIsRefused() {
    assertThatThrownBy(() -> FloatChunk.of(3, 1f, 2f).copyInto(nativeFloats(0f, 0f, 0f), 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("[3, 5)");
  }

  @Test
  void bytesThatAreNotWholeFloatsAreRefused() {
    assertThatThrownBy(() -> new FloatChunk(0, ByteString.copyFrom(new byte[] {1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
  }

  @Test
  void aNegativeOffsetIsRefused() {
    assertThatThrownBy(() -> FloatChunk.of(-1, 1f)).isInstanceOf(IllegalArgumentException.class);
  }
}
