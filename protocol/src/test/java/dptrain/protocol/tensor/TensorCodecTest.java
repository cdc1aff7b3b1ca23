package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.Tensor;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class TensorCodecTest {

  @Test
  void aTensorSurvivesTheRoundTrip() {
    var decoded = TensorCodec.decode(TensorCodec.encode(new long[] {2, 2}, new float[] {1, -2, 3.5f, 0}));

    assertThat(decoded.shape()).containsExactly(2, 2);
    assertThat(decoded.data()).containsExactly(1, -2, 3.5f, 0);
  }

  @Test
  void bytesWrittenByFormatVersionOneStayReadable() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/golden/tensor-v1.bin")) {
      var decoded = TensorCodec.decode(Tensor.parseFrom(in));

      assertThat(decoded.shape()).containsExactly(2, 3);
      assertThat(decoded.data()).containsExactly(1, 2, 3, 4, 5, 6);
    }
  }

  @Test
  void aShapeThatDoesNotMatchTheDataIsRefusedBeforeAllocating() {
    Tensor lying = TensorCodec.encode(new long[] {2}, new float[] {1, 2}).toBuilder()
        .clearShape().addShape(1_000_000).addShape(1_000_000).build();

    assertThatThrownBy(() -> TensorCodec.decode(lying)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dataOfTheWrongLengthIsRefused() {
    Tensor shortData = TensorCodec.encode(new long[] {3}, new float[] {1, 2, 3}).toBuilder()
        .setData(ByteString.copyFrom(new byte[8])).build();

    assertThatThrownBy(() -> TensorCodec.decode(shortData)).hasMessageContaining("needs 12 bytes, got 8");
  }

  @Test
  void anUnknownFormatVersionOrDtypeIsRefused() {
    Tensor tensor = TensorCodec.encode(new long[] {1}, new float[] {1});

    assertThatThrownBy(() -> TensorCodec.decode(tensor.toBuilder().setFormatVersion(2).build()))
        .hasMessageContaining("format version 2");
    assertThatThrownBy(() -> TensorCodec.decode(tensor.toBuilder().setDtype(DType.FLOAT64).build()))
        .hasMessageContaining("FLOAT64");
  }

  @Test
  void aNegativeDimensionIsRefused() {
    Tensor tensor = TensorCodec.encode(new long[] {1}, new float[] {1}).toBuilder().setShape(0, -1).build();

    assertThatThrownBy(() -> TensorCodec.decode(tensor)).hasMessageContaining("negative dimension");
  }
}
