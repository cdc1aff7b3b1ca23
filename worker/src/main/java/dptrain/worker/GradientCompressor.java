package dptrain.worker;

import com.google.protobuf.ByteString;
import dptrain.protocol.job.CompressionSpec;
import dptrain.protocol.tensor.EncodedChunk;
import dptrain.protocol.tensor.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Encodes a worker's gradient ranges for the wire as its job's {@link CompressionSpec} says.
 * Top-k and threshold keep error feedback: the residual (what was computed but not sent) of
 * every parameter is added to its next gradient, so nothing is lost, only delayed (Stich et
 * al. 2018; Strom 2015). The residuals live here, on the worker, one float per parameter.
 */
final class GradientCompressor {
  private final CompressionSpec spec;
  private final float[] residual;
  private float[] scratch = new float[0];
  private float[] magnitudes = new float[0];
  private boolean[] sent = new boolean[0];

  GradientCompressor(CompressionSpec spec, long parameters) {
    this.spec = spec;
    this.residual = spec.keepsResiduals() ? new float[Math.toIntExact(parameters)] : null;
  }

  /** What parameter {@code index} holds back for the next push (0 without error feedback). */
  float residual(long index) {
    return residual == null ? 0f : residual[Math.toIntExact(index)];
  }

  boolean compresses() {
    return !spec.none();
  }

  /**
   * Values [offset, offset + length) of {@code gradient} (native-order float32, indexed from 0).
   * A gradient that is not finite (the step will be skipped) leaves the residuals alone.
   */
  EncodedChunk encode(ByteBuffer gradient, long offset, int length, boolean finite) {
    var values = gradient.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer();
    if (scratch.length < length) {
      scratch = new float[length];
      magnitudes = new float[length];
      sent = new boolean[length];
    }
    values.position((int) offset);
    values.get(scratch, 0, length);
    boolean feedback = residual != null && finite;
    if (feedback) {
      for (int i = 0; i < length; i++) {
        scratch[i] += residual[(int) offset + i];
      }
    }
    return switch (spec.kind()) {
      case "fp16", "bf16" -> halves(offset, length);
      case "topk" -> topK(offset, length, feedback);
      case "threshold" -> threshold(offset, length, feedback);
      default -> throw new IllegalStateException("no encoding for " + spec.kind());
    };
  }

  private EncodedChunk halves(long offset, int length) {
    boolean fp16 = spec.kind().equals("fp16");
    ByteBuffer out = ByteBuffer.allocate(2 * length).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < length; i++) {
      out.putShort(fp16 ? HalfFloats.toFp16(scratch[i]) : HalfFloats.toBf16(scratch[i]));
    }
    return new EncodedChunk(offset, length, fp16 ? EncodedChunk.Encoding.FP16 : EncodedChunk.Encoding.BF16,
        ByteString.copyFrom(out.flip()), ByteString.EMPTY, 0);
  }

  /** The k = ceil(F length) largest |g + r|; the rest become the new residual. */
  private EncodedChunk topK(long offset, int length, boolean feedback) {
    int k = (int) Math.max(1, Math.min(length, Math.ceil(spec.parameter() * length)));
    for (int i = 0; i < length; i++) {
      magnitudes[i] = Math.abs(scratch[i]);
      sent[i] = false;
    }
    float cut = Selection.kthLargest(magnitudes, length, k);
    ByteBuffer at = ByteBuffer.allocate(4 * k).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer values = ByteBuffer.allocate(4 * k).order(ByteOrder.LITTLE_ENDIAN);
    int count = 0;
    // Strictly above the cut first, then ties at the cut until k are sent.
    for (int pass = 0; pass < 2 && count < k; pass++) {
      for (int i = 0; i < length && count < k; i++) {
        float m = Math.abs(scratch[i]);
        if (!sent[i] && (pass == 0 ? m > cut : m == cut)) {
          at.putInt(i);
          values.putFloat(scratch[i]);
          sent[i] = true;
          count++;
        }
      }
    }
    if (feedback) {
      for (int i = 0; i < length; i++) {
        residual[(int) offset + i] = sent[i] ? 0f : scratch[i];
      }
    }
    return new EncodedChunk(offset, length, EncodedChunk.Encoding.SPARSE, ByteString.copyFrom(values.flip()),
        ByteString.copyFrom(at.flip()), 0);
  }

  /** Strom 2015: every |g + r| >= T goes as sign * T; the rest, and what is over T, stays as residual. */
  private EncodedChunk threshold(long offset, int length, boolean feedback) {
    float t = (float) spec.parameter();
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (Math.abs(scratch[i]) >= t) {
        count++;
      }
    }
    ByteBuffer at = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < length; i++) {
      float v = scratch[i];
      float left = v;
      if (Math.abs(v) >= t) {
        at.putInt((i << 1) | (v < 0 ? 1 : 0));
        left = v < 0 ? v + t : v - t;
      }
      if (feedback) {
        residual[(int) offset + i] = left;
      }
    }
    return new EncodedChunk(offset, length, EncodedChunk.Encoding.SIGNS, ByteString.EMPTY, ByteString.copyFrom(at.flip()), t);
  }
}
