package dptrain.ps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardRangesTest {

  @Test
  void rangesAreContiguousBalancedAndCoverTheVector() {
    var ranges = ShardRanges.split(10, 3);

    assertThat(ranges).containsExactly(new ShardRanges.Range(0, 4), new ShardRanges.Range(4, 3), new ShardRanges.Range(7, 3));
  }

  @Test
  void moreShardsThanParametersAreRefused() {
    assertThatThrownBy(() -> ShardRanges.split(2, 3)).hasMessageContaining("--ps-shards");
    assertThatThrownBy(() -> ShardRanges.split(2, 0)).hasMessageContaining("--ps-shards");
  }
}
