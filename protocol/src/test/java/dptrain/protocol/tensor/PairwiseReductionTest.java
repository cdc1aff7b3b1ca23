package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.protocol.tensor.PairwiseReduction.Pair;
import org.junit.jupiter.api.Test;

class PairwiseReductionTest {

  @Test
  void fourPartialsAreAddedAsPairsThenThePairSums() {
    assertThat(PairwiseReduction.order(4)).containsExactly(new Pair(0, 1), new Pair(2, 3), new Pair(0, 2));
  }

  @Test
  void anOddCountCarriesTheLastPartialUpALevel() {
    assertThat(PairwiseReduction.order(3)).containsExactly(new Pair(0, 1), new Pair(0, 2));
  }

  @Test
  void oneOrNoPartialNeedsNoAddition() {
    assertThat(PairwiseReduction.order(1)).isEmpty();
    assertThat(PairwiseReduction.order(0)).isEmpty();
  }

  @Test
  void blocksOfTwoSummedFirstGiveTheSameBitsAsTheWholeOrder() {
    float[] values = {1e8f, 1f, -1e8f, 3.3f, 7e-3f, 2f, 5e7f, -0.1f};
    float whole = sum(values);
    // Four "workers" of two values each, then the "shard" over their four sums.
    float[] blocks = new float[4];
    for (int b = 0; b < 4; b++) {
      blocks[b] = sum(new float[] {values[2 * b], values[2 * b + 1]});
    }

    assertThat(Float.floatToIntBits(sum(blocks))).isEqualTo(Float.floatToIntBits(whole));
  }

  private static float sum(float[] values) {
    float[] partial = values.clone();
    for (Pair pair : PairwiseReduction.order(partial.length)) {
      partial[pair.target()] += partial[pair.source()];
    }
    return partial[0];
  }
}
