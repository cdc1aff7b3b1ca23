package dptrain.protocol.tensor;

import com.google.protobuf.ByteString;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Whole tensors to and from the wire form: dtype, shape, little-endian data and a format
 * version. Decoding checks the version, the dtype and the shape against the data length
 * before it allocates anything.
 */
public final class TensorCodec {
  public static final int FORMAT_VERSION = 1;

  private TensorCodec() {}

  /** A decoded float32 tensor. */
  public record FloatTensor(long[] shape, float[] data) {}

  public static Tensor encode(long[] shape, float[] data) {
    if (elements(shape) != data.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
    }
    ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    Tensor.Builder tensor = Tensor.newBuilder().setFormatVersion(FORMAT_VERSION).setDtype(DType.FLOAT32);
    for (long dim : shape) {
      tensor.addShape(dim);
    }
    return tensor.setData(ByteString.copyFrom(bytes.array())).build();
  }

  public static FloatTensor decode(Tensor tensor) {
    if (tensor.getFormatVersion() != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "tensor format version " + tensor.getFormatVersion() + " is not supported (this build reads " + FORMAT_VERSION + ")");
    }
    if (tensor.getDtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("tensor dtype " + tensor.getDtype() + " is not supported (FLOAT32 only)");
    }
    long[] shape = tensor.getShapeList().stream().mapToLong(Long::longValue).toArray();
    long expected = elements(shape);
    if (expected * Float.BYTES != tensor.getData().size()) {
      throw new IllegalArgumentException(
          "tensor of shape " + Arrays.toString(shape) + " needs " + expected * Float.BYTES + " bytes, got " + tensor.getData().size());
    }
    float[] data = new float[(int) expected];
    tensor.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    return new FloatTensor(shape, data);
  }

  private static long elements(long[] shape) {
    long n = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, dim);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large for one tensor");
      }
    }
    return n;
  }
}
