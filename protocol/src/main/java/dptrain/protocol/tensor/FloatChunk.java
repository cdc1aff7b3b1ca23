package dptrain.protocol.tensor;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The float32 values at [offset, offset + length()) of a flat vector, as immutable
 * little-endian bytes. Immutable, so one chunk may go to many actors; it is how parameters and
 * gradients travel, several chunks per vector so that none exceeds one Artery frame.
 *
 * <p>Copies to and from ND4J's native buffers are single bulk byte copies on little-endian
 * hosts (every platform ND4J ships for); a float-by-float copy there cost 10x more per step.
 */
public record FloatChunk(long offset, ByteString data) {
  private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  public FloatChunk {
    if (offset < 0) {
      throw new IllegalArgumentException("chunk offset must be >= 0, got " + offset);
    }
    if (data.size() % Float.BYTES != 0) {
      throw new IllegalArgumentException("chunk holds " + data.size() + " bytes, not a whole number of float32 values");
    }
  }

  /**
   * Copies {@code length} floats from a buffer of native-order float32 values (such as ND4J's
   * {@code DataBuffer.asNio()}), starting at its float index {@code from}.
   */
  public static FloatChunk copyOf(long offset, ByteBuffer nativeFloats, int from, int length) {
    byte[] bytes = new byte[length * Float.BYTES];
    ByteBuffer source = nativeFloats.duplicate().order(ByteOrder.nativeOrder());
    if (LITTLE_ENDIAN_HOST) {
      source.position(from * Float.BYTES).get(bytes);
    } else {
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
          .put(source.asFloatBuffer().position(from).limit(from + length));
    }
    // The array is ours alone and never written again, so wrapping it without a copy is safe.
    return new FloatChunk(offset, UnsafeByteOperations.unsafeWrap(bytes));
  }

  public static FloatChunk of(long offset, float... values) {
    return of(offset, values, 0, values.length);
  }

  /** Copies values[from, from + length) as the chunk at {@code offset}. */
  public static FloatChunk of(long offset, float[] values, int from, int length) {
    ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values, from, length);
    return new FloatChunk(offset, UnsafeByteOperations.unsafeWrap(bytes.array()));
  }

  public int length() {
    return data.size() / Float.BYTES;
  }

  public long end() {
    return offset + length();
  }

  /**
   * Writes the values into a buffer of native-order float32 values whose float index 0 stands
   * for position {@code base} of the vector.
   */
  public void copyInto(ByteBuffer nativeFloats, long base) {
    long at = offset - base;
    long capacity = nativeFloats.capacity() / Float.BYTES;
    if (at < 0 || at + length() > capacity) {
      throw new IndexOutOfBoundsException(
          "chunk [" + offset + ", " + end() + ") does not fit a buffer for [" + base + ", " + (base + capacity) + ")");
    }
    ByteBuffer target = nativeFloats.duplicate().order(ByteOrder.nativeOrder());
    if (LITTLE_ENDIAN_HOST) {
      data.copyTo(target.position((int) at * Float.BYTES));
    } else {
      target.asFloatBuffer().position((int) at).put(values());
    }
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
