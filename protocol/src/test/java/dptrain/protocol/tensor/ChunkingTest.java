package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkingTest {

  @Test
  void piecesCoverTheRangeInOrderWithoutGapsAndNoneExceedsTheLimit() {
    List<Chunking.Piece> pieces = Chunking.split(100, 25, 10);

    assertThat(pieces).containsExactly(
        new Chunking.Piece(100, 10), new Chunking.Piece(110, 10), new Chunking.Piece(120, 5));
  }

  @Test
  void anEmptyRangeHasNoPieces() {
    assertThat(Chunking.split(5, 0, 10)).isEmpty();
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> Chunking.split(0, 5, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
