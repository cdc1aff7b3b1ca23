package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BootstrapTest {
  @Test
  void aSampleDrawsWithReplacementAndDependsOnTheSeedAndTheMember() {
    int[] rows = Bootstrap.rows(1000, 7, 1);

    assertThat(rows).hasSize(1000);
    assertThat(Arrays.stream(rows).allMatch(r -> r >= 0 && r < 1000)).isTrue();
    long distinct = Arrays.stream(rows).distinct().count();
    // about 1 - 1/e = 63% of the rows appear
    assertThat(distinct).isBetween(580L, 680L);
    assertThat(Bootstrap.rows(1000, 7, 1)).isEqualTo(rows);
    assertThat(Bootstrap.rows(1000, 7, 2)).isNotEqualTo(rows);
    assertThat(Bootstrap.rows(1000, 8, 1)).isNotEqualTo(rows);
  }
}
