package dptrain.protocol.tensor;

import java.util.ArrayList;
import java.util.List;

/** Splits a range of a flat vector into pieces of at most {@code maxFloats} values. */
public final class Chunking {
  private Chunking() {}

  /** A piece [offset, offset + length) of a flat vector. */
  public record Piece(long offset, int length) {}

  public static List<Piece> split(long offset, long length, int maxFloats) {
    if (maxFloats <= 0) {
      throw new IllegalArgumentException("maxFloats must be > 0, got " + maxFloats);
    }
    List<Piece> pieces = new ArrayList<>();
    for (long at = offset; at < offset + length; at += maxFloats) {
      pieces.add(new Piece(at, (int) Math.min(maxFloats, offset + length - at)));
    }
    return pieces;
  }
}
