package dptrain.protocol.tensor;

/** float32 to and from IEEE half precision (fp16) and bfloat16, rounding to nearest even. */
public final class HalfFloats {
  private HalfFloats() {}

  public static short toBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }

  public static float fromBf16(short half) {
    return Float.intBitsToFloat((half & 0xFFFF) << 16);
  }

  public static short toFp16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
    }
    int e = exponent - 127 + 15;
    if (e >= 0x1F) {
      return (short) (sign | 0x7C00); // overflow: infinity
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // underflow: zero
      }
      int m = (mantissa | 0x800000) >> (1 - e);
      // round to nearest even on the 13 dropped bits
      int rounded = (m + 0xFFF + ((m >>> 13) & 1)) >>> 13;
      return (short) (sign | rounded);
    }
    int rounded = ((e << 10) | (mantissa >>> 13)) + (((mantissa & 0x1FFF) + ((mantissa >>> 13) & 1) + 0xFFF) >>> 13);
    return (short) (sign | rounded);
  }

  public static float fromFp16(short half) {
    int h = half & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1F;
    int mantissa = h & 0x3FF;
    if (exponent == 0) {
      if (mantissa == 0) {
        return Float.intBitsToFloat(sign);
      }
      float value = mantissa / 1024f * (1f / 16384f); // subnormal: m * 2^-24
      return sign != 0 ? -value : value;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
