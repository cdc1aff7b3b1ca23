package dptrain.protocol.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A flat array of float32 or float64 values behind one interface, so that the parameter
 * server's loops are written once for both precisions. Arithmetic on the values is done in
 * double; {@link #set} stores at the array's precision. The two final subclasses keep the
 * element accessors monomorphic in any one job, so the JIT inlines them.
 */
public abstract sealed class FlatArray permits FlatArray.Float32, FlatArray.Float64 {

  public static FlatArray zeros(Precision precision, int length) {
    return precision == Precision.FLOAT32 ? new Float32(new float[length]) : new Float64(new double[length]);
  }

  /** The values rounded to {@code precision}. */
  public static FlatArray of(Precision precision, double[] values) {
    FlatArray array = zeros(precision, values.length);
    for (int i = 0; i < values.length; i++) {
      array.set(i, values[i]);
    }
    return array;
  }

  public abstract Precision precision();

  public abstract int length();

  public abstract double get(int i);

  public abstract void set(int i, double value);

  public abstract void fill(double value);

  /** Copies {@code length} values from {@code source} (little-endian, of this precision) to position {@code at}. */
  abstract void readFrom(ByteBuffer littleEndian, int at, int length);

  /** Writes values [from, from + length) as little-endian bytes. */
  abstract void writeTo(ByteBuffer littleEndian, int from, int length);

  /** this += other, element-wise (same precision and length). */
  public abstract void add(FlatArray other);

  /** this = source / divisor, element-wise; returns a number that is NaN or infinite exactly when a result is. */
  public abstract double divide(FlatArray source, double divisor);

  /**
   * this = source / divisor, element-wise, unchecked: for a source already known to be finite
   * and a divisor of at least 1, whose quotients are then finite too (|x / d| <= |x|).
   */
  public abstract void divideFinite(FlatArray finiteSource, double divisorAtLeastOne);

  public double[] toDoubles() {
    double[] out = new double[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }

  /** float32 values. */
  public static final class Float32 extends FlatArray {
    private final float[] values;

    Float32(float[] values) {
      this.values = values;
    }

    /** The values themselves, for hot loops that the JIT should vectorize. */
    public float[] values() {
      return values;
    }

    @Override
    public Precision precision() {
      return Precision.FLOAT32;
    }

    @Override
    public int length() {
      return values.length;
    }

    @Override
    public double get(int i) {
      return values[i];
    }

    @Override
    public void set(int i, double value) {
      values[i] = (float) value;
    }

    @Override
    public void fill(double value) {
      java.util.Arrays.fill(values, (float) value);
    }

    @Override
    public void add(FlatArray other) {
      float[] that = ((Float32) other).values;
      for (int i = 0; i < values.length; i++) {
        values[i] += that[i];
      }
    }

    @Override
    public double divide(FlatArray source, double divisor) {
      divideFinite(source, divisor);
      // NaN exactly when a value is NaN or infinite; a separate pass keeps the division vectorized.
      return Finite.all(values) ? 0 : Double.NaN;
    }

    @Override
    public void divideFinite(FlatArray finiteSource, double divisorAtLeastOne) {
      float[] that = ((Float32) finiteSource).values;
      float d = (float) divisorAtLeastOne;
      for (int i = 0; i < values.length; i++) {
        values[i] = that[i] / d;
      }
    }

    @Override
    void readFrom(ByteBuffer source, int at, int length) {
      source.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values, at, length);
    }

    @Override
    void writeTo(ByteBuffer target, int from, int length) {
      target.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, length);
    }
  }

  /** float64 values. */
  public static final class Float64 extends FlatArray {
    private final double[] values;

    Float64(double[] values) {
      this.values = values;
    }

    /** The values themselves, for hot loops that the JIT should vectorize. */
    public double[] values() {
      return values;
    }

    @Override
    public Precision precision() {
      return Precision.FLOAT64;
    }

    @Override
    public int length() {
      return values.length;
    }

    @Override
    public double get(int i) {
      return values[i];
    }

    @Override
    public void set(int i, double value) {
      values[i] = value;
    }

    @Override
    public void fill(double value) {
      java.util.Arrays.fill(values, value);
    }

    @Override
    public void add(FlatArray other) {
      double[] that = ((Float64) other).values;
      for (int i = 0; i < values.length; i++) {
        values[i] += that[i];
      }
    }

    @Override
    public double divide(FlatArray source, double divisor) {
      divideFinite(source, divisor);
      return Finite.all(values) ? 0 : Double.NaN;
    }

    @Override
    public void divideFinite(FlatArray finiteSource, double divisorAtLeastOne) {
      double[] that = ((Float64) finiteSource).values;
      for (int i = 0; i < values.length; i++) {
        values[i] = that[i] / divisorAtLeastOne;
      }
    }

    @Override
    void readFrom(ByteBuffer source, int at, int length) {
      source.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values, at, length);
    }

    @Override
    void writeTo(ByteBuffer target, int from, int length) {
      target.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values, from, length);
    }
  }
}
