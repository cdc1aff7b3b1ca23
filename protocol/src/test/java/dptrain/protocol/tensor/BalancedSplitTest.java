package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BalancedSplitTest {

  @Test
  void partsAreContiguousWithTheLargerOnesFirst() {
    assertThat(BalancedSplit.bounds(10, 3)).containsExactly(0, 4, 7, 10);
  }

  @Test
  void morePartsThanItemsLeavesTheLastPartsEmpty() {
    assertThat(BalancedSplit.bounds(2, 4)).containsExactly(0, 1, 2, 2, 2);
  }

  @Test
  void noPartsIsRefused() {
    assertThatThrownBy(() -> BalancedSplit.bounds(5, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
