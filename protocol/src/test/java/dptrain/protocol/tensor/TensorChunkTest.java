package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorChunkTest {

  private static ByteBuffer nativeFloats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(values);
    return buffer;
  }

  @Test
  void aCopiedRangeCarriesItsValuesAsLittleEndianBytes() {
    TensorChunk chunk = TensorChunk.copyOf(10, Precision.FLOAT32, nativeFloats(1f, 2f, 3f, 4f), 1, 2);

    assertThat(chunk.offset()).isEqualTo(10);
    assertThat(chunk.length()).isEqualTo(2);
    assertThat(chunk.end()).isEqualTo(12);
    assertThat(chunk.toArray()).containsExactly(2f, 3f);
    assertThat(chunk.data().toByteArray()).containsExactly(0, 0, 0, 64, 0, 0, 64, 64);
  }

  @Test
  void copyingIntoABufferWritesAtTheChunksPositionRelativeToTheBase() {
    ByteBuffer target = nativeFloats(0f, 0f, 0f, 0f);

    TensorChunk.of(102, 7f, 8f).copyInto(target, 100);

    float[] out = new float[4];
    target.asFloatBuffer().get(out);
    assertThat(out).containsExactly(0f, 0f, 7f, 8f);
  }

  @Test
  void aChunkThatDoesNotFitTheTargetIsRefused() {
    assertThatThrownBy(() -> TensorChunk.of(3, 1f, 2f).copyInto(nativeFloats(0f, 0f, 0f), 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("[3, 5)");
  }

  @Test
  void bytesThatAreNotWholeValuesAreRefused() {
    assertThatThrownBy(() -> new TensorChunk(0, Precision.FLOAT32, ByteString.copyFrom(new byte[] {1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> new TensorChunk(0, Precision.FLOAT64, ByteString.copyFrom(new byte[12])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("float64");
  }

  @Test
  void float64ValuesTravelAtFullPrecisionIntoNativeBuffersAndArrays() {
    ByteBuffer source = ByteBuffer.allocateDirect(3 * 8).order(ByteOrder.nativeOrder());
    source.asDoubleBuffer().put(new double[] {1.0 / 3, Math.E, -7});
    TensorChunk chunk = TensorChunk.copyOf(5, Precision.FLOAT64, source, 1, 2);
    ByteBuffer target = ByteBuffer.allocateDirect(4 * 8).order(ByteOrder.nativeOrder());
    FlatArray array = FlatArray.zeros(Precision.FLOAT64, 3);

    chunk.copyInto(target, 4);
    chunk.copyInto(array, 1);

    double[] out = new double[4];
    target.asDoubleBuffer().get(out);
    assertThat(out).containsExactly(0, Math.E, -7, 0);
    assertThat(array.toDoubles()).containsExactly(0, Math.E, -7);
    assertThat(chunk.toDoubles()).containsExactly(Math.E, -7);
  }

  @Test
  void aNegativeOffsetIsRefused() {
    assertThatThrownBy(() -> TensorChunk.of(-1, 1f)).isInstanceOf(IllegalArgumentException.class);
  }
}
