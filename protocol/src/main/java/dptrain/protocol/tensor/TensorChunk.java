package dptrain.protocol.tensor;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The values at [offset, offset + length()) of a flat vector, float32 or float64, as immutable
 * little-endian bytes. Immutable, so one chunk may go to many actors; it is how parameters and
 * gradients travel, several chunks per vector so that none exceeds one Artery frame.
 *
 * <p>Copies to and from ND4J's native buffers are single bulk byte copies on little-endian
 * hosts (every platform ND4J ships for); an element-by-element copy there cost 10x more per step.
 */
public record TensorChunk(long offset, Precision precision, ByteString data) {
  private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  public TensorChunk {
    if (offset < 0) {
      throw new IllegalArgumentException("chunk offset must be >= 0, got " + offset);
    }
    if (data.size() % precision.bytes() != 0) {
      throw new IllegalArgumentException("chunk holds " + data.size() + " bytes, not a whole number of "
          + precision.cliName() + " values");
    }
  }

  /**
   * Copies {@code length} values from a buffer of native-order values of {@code precision}
   * (such as ND4J's {@code DataBuffer.asNio()}), starting at its element index {@code from}.
   */
  public static TensorChunk copyOf(long offset, Precision precision, ByteBuffer nativeValues, int from, int length) {
    int width = precision.bytes();
    byte[] bytes = new byte[length * width];
    ByteBuffer source = nativeValues.duplicate().order(ByteOrder.nativeOrder());
    source.position(from * width).limit((from + length) * width);
    if (LITTLE_ENDIAN_HOST) {
      source.get(bytes);
    } else {
      swapInto(source.slice().order(ByteOrder.nativeOrder()), ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), precision);
    }
    // The array is ours alone and never written again, so wrapping it without a copy is safe.
    return new TensorChunk(offset, precision, UnsafeByteOperations.unsafeWrap(bytes));
  }

  /** float32 values, mostly for tests. */
  public static TensorChunk of(long offset, float... values) {
    double[] wide = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      wide[i] = values[i];
    }
    return of(offset, FlatArray.of(Precision.FLOAT32, wide), 0, values.length);
  }

  public static TensorChunk of(long offset, FlatArray values) {
    return of(offset, values, 0, values.length());
  }

  /** Copies values[from, from + length) as the chunk at {@code offset}. */
  public static TensorChunk of(long offset, FlatArray values, int from, int length) {
    ByteBuffer bytes = ByteBuffer.allocate(length * values.precision().bytes());
    values.writeTo(bytes, from, length);
    return new TensorChunk(offset, values.precision(), UnsafeByteOperations.unsafeWrap(bytes.array()));
  }

  public int length() {
    return data.size() / precision.bytes();
  }

  public long end() {
    return offset + length();
  }

  /**
   * Writes the values into a buffer of native-order values of this precision whose element 0
   * stands for position {@code base} of the vector.
   */
  public void copyInto(ByteBuffer nativeValues, long base) {
    int width = precision.bytes();
    long at = offset - base;
    long capacity = nativeValues.capacity() / width;
    if (at < 0 || at + length() > capacity) {
      throw new IndexOutOfBoundsException(
          "chunk [" + offset + ", " + end() + ") does not fit a buffer for [" + base + ", " + (base + capacity) + ")");
    }
    ByteBuffer target = nativeValues.duplicate().order(ByteOrder.nativeOrder());
    target.position((int) at * width);
    if (LITTLE_ENDIAN_HOST) {
      data.copyTo(target);
    } else {
      swapInto(data.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN), target.slice().order(ByteOrder.nativeOrder()), precision);
    }
  }

  /** Copies the values into {@code target} starting at its index {@code at}. */
  public void copyInto(FlatArray target, int at) {
    if (target.precision() != precision) {
      throw new IllegalArgumentException("a " + precision.cliName() + " chunk cannot fill a " + target.precision().cliName() + " array");
    }
    if (at < 0 || at + length() > target.length()) {
      throw new IndexOutOfBoundsException("chunk of " + length() + " values does not fit at " + at + " of " + target.length());
    }
    target.readFrom(data.asReadOnlyByteBuffer(), at, length());
  }

  /** The values, widened to double. */
  public double[] toDoubles() {
    FlatArray values = FlatArray.zeros(precision, length());
    copyInto(values, 0);
    return values.toDoubles();
  }

  /** The values as float32 (float64 values are rounded). */
  public float[] toArray() {
    double[] wide = toDoubles();
    float[] out = new float[wide.length];
    for (int i = 0; i < wide.length; i++) {
      out[i] = (float) wide[i];
    }
    return out;
  }

  private static void swapInto(ByteBuffer from, ByteBuffer to, Precision precision) {
    if (precision == Precision.FLOAT32) {
      to.asFloatBuffer().put(from.asFloatBuffer());
    } else {
      to.asDoubleBuffer().put(from.asDoubleBuffer());
    }
  }
}
