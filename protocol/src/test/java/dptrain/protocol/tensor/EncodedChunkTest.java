package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class EncodedChunkTest {
  @Test
  void halfPrecisionKeepsWhatItCanAndRoundsToNearestEven() {
    assertThat(HalfFloats.toFp16(1f)).isEqualTo((short) 0x3C00);
    assertThat(HalfFloats.toFp16(65504f)).isEqualTo((short) 0x7BFF);
    assertThat(HalfFloats.toFp16(-2f)).isEqualTo((short) 0xC000);
    assertThat(HalfFloats.fromFp16(HalfFloats.toFp16(0.1f))).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-4f));
    assertThat(HalfFloats.fromFp16(HalfFloats.toFp16(1e6f))).isInfinite();
    assertThat(HalfFloats.fromFp16(HalfFloats.toFp16(6e-8f))).isCloseTo(5.96e-8f, org.assertj.core.data.Offset.offset(1e-9f));
    assertThat(HalfFloats.fromBf16(HalfFloats.toBf16(3.14159f))).isEqualTo(3.140625f);
    assertThat(HalfFloats.fromBf16(HalfFloats.toBf16(1e30f))).isCloseTo(1e30f, org.assertj.core.data.Percentage.withPercentage(0.5));
    assertThat(HalfFloats.fromBf16(HalfFloats.toBf16(Float.NaN))).isNaN();
  }

  private static ByteString ints(int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return ByteString.copyFrom(b.flip());
  }

  private static ByteString floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return ByteString.copyFrom(b.flip());
  }

  @Test
  void sparseAndSignRangesDecodeToDenseOnesWithZerosElsewhere() {
    var sparse = new EncodedChunk(10, 5, EncodedChunk.Encoding.SPARSE, floats(2.5f, -1f), ints(3, 0), 0);
    var signs = new EncodedChunk(10, 4, EncodedChunk.Encoding.SIGNS, ByteString.EMPTY, ints(1 << 1, (3 << 1) | 1), 0.5f);

    assertThat(sparse.decode(Precision.FLOAT32).toArray()).containsExactly(-1f, 0f, 0f, 2.5f, 0f);
    assertThat(sparse.decode(Precision.FLOAT32).offset()).isEqualTo(10);
    assertThat(sparse.bytes()).isEqualTo(16);
    assertThat(signs.decode(Precision.FLOAT32).toArray()).containsExactly(0f, 0.5f, 0f, -0.5f);
  }

  @Test
  void aPositionOutsideTheRangeIsRefused() {
    var lying = new EncodedChunk(0, 3, EncodedChunk.Encoding.SPARSE, floats(1f), ints(3), 0);

    assertThatThrownBy(() -> lying.decode(Precision.FLOAT32)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside a range of 3");
  }
}
