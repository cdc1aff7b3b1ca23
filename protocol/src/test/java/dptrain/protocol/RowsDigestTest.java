package dptrain.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowsDigestTest {

  @Test
  void theDigestsOfAStepsMicroBatchesAddUpToTheDigestOfItsBatchInAnyOrder() {
    int[] batch = {7, 0, 3, 59_999, 12, 5};

    long parts = RowsDigest.of(new int[] {7, 0}) + RowsDigest.of(new int[] {3}) + RowsDigest.of(new int[] {59_999, 12, 5});

    assertThat(parts).isEqualTo(RowsDigest.of(batch));
    assertThat(RowsDigest.of(new int[] {5, 12, 59_999, 3, 0, 7})).isEqualTo(RowsDigest.of(batch));
  }

  @Test
  void aRowCountedTwiceMissedOrSwappedForAnotherChangesTheDigest() {
    long planned = RowsDigest.of(new int[] {0, 1, 2, 3});

    assertThat(RowsDigest.of(new int[] {0, 1, 2, 3, 3})).as("counted twice").isNotEqualTo(planned);
    assertThat(RowsDigest.of(new int[] {0, 1, 2})).as("missed").isNotEqualTo(planned);
    assertThat(RowsDigest.of(new int[] {0, 1, 2, 4})).as("another row").isNotEqualTo(planned);
    assertThat(RowsDigest.of(new int[0])).isZero();
  }

  @Test
  void everyRowOfALargeDataSetMixesToItsOwnValue() {
    Set<Long> seen = new HashSet<>();
    for (int row = 0; row < 100_000; row++) {
      seen.add(RowsDigest.mix(row));
    }
    assertThat(seen).hasSize(100_000).doesNotContain(0L);
    assertThat(RowsDigest.hex(-1L)).isEqualTo("ffffffffffffffff");
  }
}
