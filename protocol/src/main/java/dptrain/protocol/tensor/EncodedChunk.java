package dptrain.protocol.tensor;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A compressed range of a gradient: {@code length} values from {@code offset}, as half-precision
 * floats (fp16, bf16), as the largest ones with their positions (top-k: int32 indices into the
 * range and float32 values), or as positions and signs of the values past a threshold, each
 * worth {@code magnitude} (Strom 2015). Decoded at the shard into a dense range; the values not
 * sent are zero there (the worker keeps them as residuals).
 */
public record EncodedChunk(long offset, int length, Encoding encoding, ByteString values, ByteString indices, float magnitude) {

  /** How the values travel. */
  public enum Encoding {
    FP16,
    BF16,
    SPARSE,
    SIGNS
  }

  public EncodedChunk {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("encoded range [" + offset + ", +" + length + ") is not a range");
    }
    int expected = switch (encoding) {
      case FP16, BF16 -> 2 * length;
      case SPARSE -> indices.size();
      case SIGNS -> 0;
    };
    if (values.size() != expected || indices.size() % 4 != 0 || indices.size() / 4 > length) {
      throw new IllegalArgumentException("encoded range of " + length + " " + encoding + " values holds " + values.size()
          + " value bytes and " + indices.size() + " index bytes");
    }
  }

  /** Bytes of payload on the wire. */
  public int bytes() {
    return values.size() + indices.size();
  }

  public long end() {
    return offset + length;
  }

  /** The dense range at {@code precision}; positions not sent are zero. A position outside the range is refused. */
  public TensorChunk decode(Precision precision) {
    FlatArray dense = FlatArray.zeros(precision, length);
    ByteBuffer v = values.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer at = indices.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    switch (encoding) {
      case FP16 -> {
        for (int i = 0; i < length; i++) {
          dense.set(i, HalfFloats.fromFp16(v.getShort()));
        }
      }
      case BF16 -> {
        for (int i = 0; i < length; i++) {
          dense.set(i, HalfFloats.fromBf16(v.getShort()));
        }
      }
      case SPARSE -> {
        while (at.hasRemaining()) {
          dense.set(position(at.getInt()), v.getFloat());
        }
      }
      case SIGNS -> {
        while (at.hasRemaining()) {
          int code = at.getInt();
          dense.set(position(code >>> 1), (code & 1) == 0 ? magnitude : -magnitude);
        }
      }
    }
    return TensorChunk.of(offset, dense);
  }

  private int position(int index) {
    if (index < 0 || index >= length) {
      throw new IllegalArgumentException("encoded position " + index + " lies outside a range of " + length);
    }
    return index;
  }
}
