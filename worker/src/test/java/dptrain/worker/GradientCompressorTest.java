package dptrain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.protocol.job.CompressionSpec;
import dptrain.protocol.tensor.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class GradientCompressorTest {
  private static ByteBuffer gradient(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.nativeOrder());
    for (float v : values) {
      b.putFloat(v);
    }
    return b.flip();
  }

  @Test
  void topKSendsTheLargestAndDelaysTheRestWithoutLosingAnything() {
    var compressor = new GradientCompressor(CompressionSpec.parse("topk:0.25"), 8);
    float[] step = {0.1f, -4f, 0.2f, 0.3f, 3f, -0.1f, 0.05f, 0.2f};
    float[] total = new float[8];

    for (int round = 0; round < 12; round++) {
      float[] sent = compressor.encode(gradient(step), 0, 8, true).decode(Precision.FLOAT32).toArray();
      assertThat(java.util.stream.IntStream.range(0, 8).filter(i -> sent[i] != 0).count()).isEqualTo(2);
      for (int i = 0; i < 8; i++) {
        total[i] += sent[i];
      }
    }

    // The large values go every round; the small ones accumulate until they are the largest.
    assertThat(total[1]).isEqualTo(-48f);
    assertThat(total[3]).isGreaterThan(0f);
  }

  /** Pushes {@code rounds} random gradients; each round, sent + residual must equal gradient + old residual. */
  private static void sentPlusResidualIsWhatCameIn(String compression, float tolerance) {
    var random = new java.util.Random(7);
    int length = 50;
    var compressor = new GradientCompressor(CompressionSpec.parse(compression), length);
    for (int round = 0; round < 20; round++) {
      float[] step = new float[length];
      float[] cameIn = new float[length];
      for (int i = 0; i < length; i++) {
        step[i] = (float) random.nextGaussian();
        cameIn[i] = step[i] + compressor.residual(i);
      }
      float[] sent = compressor.encode(gradient(step), 0, length, true).decode(Precision.FLOAT32).toArray();
      for (int i = 0; i < length; i++) {
        assertThat(sent[i] + compressor.residual(i)).as("%s round %d value %d", compression, round, i)
            .isCloseTo(cameIn[i], org.assertj.core.data.Offset.offset(tolerance));
      }
    }
  }

  @Test
  void topKSendsOrKeepsEveryValueWhole() {
    // A value either goes or stays: not a bit of it is lost or made up.
    sentPlusResidualIsWhatCameIn("topk:0.1", 0f);
  }

  @Test
  void thresholdKeepsWhatItDidNotSendToTheRounding() {
    sentPlusResidualIsWhatCameIn("threshold:0.5", 1e-6f);
  }

  @Test
  void thresholdSendsSignsTimesTAndKeepsTheRemainder() {
    var compressor = new GradientCompressor(CompressionSpec.parse("threshold:1"), 3);

    float[] first = compressor.encode(gradient(2.5f, -0.6f, 0.4f), 0, 3, true).decode(Precision.FLOAT32).toArray();
    float[] second = compressor.encode(gradient(0f, -0.6f, 0.4f), 0, 3, true).decode(Precision.FLOAT32).toArray();

    assertThat(first).containsExactly(1f, 0f, 0f);
    assertThat(second).containsExactly(1f, -1f, 0f); // 1.5 left of the first; -1.2 now past T
  }

  @Test
  void aGradientThatIsNotFiniteLeavesTheResidualsAlone() {
    var compressor = new GradientCompressor(CompressionSpec.parse("topk:0.5"), 2);
    compressor.encode(gradient(Float.NaN, 1f), 0, 2, false);

    float[] next = compressor.encode(gradient(0f, 3f), 0, 2, true).decode(Precision.FLOAT32).toArray();

    assertThat(next).containsExactly(0f, 3f);
  }
}
