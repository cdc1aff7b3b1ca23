package dptrain.protocol.tensor;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The float32 values at [offset, offset + length()) of a flat vector, as immutable
 * little-endian bytes. Immutable, so one chunk may go to many actors; it is how parameters and
 * gradients travel, several chunks per vector so that none exceeds one Artery frame.
 */
public record FloatChunk(long offset, ByteString data) {
  public FloatChunk {
    if (offset < 0) {
      throw new IllegalArgumentException("chunk offset must be >= 0, got " + offset);
    }
    if (data.size() % Float.BYTES != 0) {
      throw new IllegalArgumentException("chunk holds " + data.size() + " bytes, not a whole number of float32 values");
    }
  }

  /** Copies {@code length} floats of {@code source}, starting at its index {@code from}. */
  public static FloatChunk copyOf(long offset, FloatBuffer source, int from, int length) {
    ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(source.duplicate().position(from).limit(from + length).slice());
    return new FloatChunk(offset, ByteString.copyFrom(bytes.array()));
  }

  public static FloatChunk of(long offset, float... values) {
    return copyOf(offset, FloatBuffer.wrap(values), 0, values.length);
  }

  public int length() {
    return data.size() / Float.BYTES;
  }

  public long end() {
    return offset + length();
  }

  /** Writes the values into {@code target}, whose index 0 stands for position {@code base} of the vector. */
  public void copyInto(FloatBuffer target, long base) {
    long at = offset - base;
    if (at < 0 || at + length() > target.capacity()) {
      throw new IndexOutOfBoundsException(
          "chunk [" + offset + ", " + end() + ") does not fit a buffer for [" + base + ", " + (base + target.capacity()) + ")");
    }
    target.duplicate().position((int) at).put(values());
  }

  /** A read-only view of the values. */
  public FloatBuffer values() {
    return data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  public float[] toArray() {
    float[] out = new float[length()];
    values().get(out);
    return out;
  }
}
