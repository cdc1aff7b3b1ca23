package dptrain.ps;

import dptrain.protocol.job.GradientRules;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter tying at a shard that holds both ranges of each tie (a model pair's corresponding
 * weights): the gradient of lambda ||a - b||^2, 2 lambda (a - b) for a and 2 lambda (b - a) for
 * b. It is taken once per step, when the step opens, from the values the workers computed that
 * step at: the pieces apply one by one as they complete, so a piece's partner may already hold
 * the next values when the piece is reduced, and reading them then would make the bits depend on
 * arrival order.
 */
final class TieTerms {
  private final long offset;
  private final List<GradientRules.Tie> ties = new ArrayList<>();
  /** The step's terms over the shard's range (0 outside the tied ranges), or null without ties. */
  private final double[] terms;
  /** The pieces' published values, refilled at each step's start (kept, not allocated per step). */
  private final double[] values;

  /** The ties whose two ranges both lie in [offset, offset + length); the others are not this shard's to apply. */
  TieTerms(GradientRules rules, long offset, int length) {
    this.offset = offset;
    for (GradientRules.Tie tie : rules.ties()) {
      if (inside(tie.a(), tie.length(), offset, length) && inside(tie.b(), tie.length(), offset, length)) {
        ties.add(tie);
      }
    }
    this.terms = ties.isEmpty() ? null : new double[length];
    this.values = ties.isEmpty() ? null : new double[length];
  }

  /** How many of the job's ties this shard cannot apply (a range elsewhere). */
  static long outside(GradientRules rules, long offset, int length) {
    return rules.ties().stream()
        .filter(t -> !inside(t.a(), t.length(), offset, length) || !inside(t.b(), t.length(), offset, length)).count();
  }

  private static boolean inside(long from, long length, long offset, int size) {
    return from >= offset && from + length <= offset + size;
  }

  /** At a step's start: the terms from the pieces' published values (where the workers compute). */
  void open(List<ShardPiece> pieces) {
    if (terms == null) {
      return;
    }
    for (ShardPiece piece : pieces) {
      piece.readPublished(values, (int) (piece.offset() - offset));
    }
    for (GradientRules.Tie tie : ties) {
      int a = (int) (tie.a() - offset);
      int b = (int) (tie.b() - offset);
      for (int i = 0; i < tie.length(); i++) {
        double pull = 2 * tie.lambda() * (values[a + i] - values[b + i]);
        terms[a + i] = pull;
        terms[b + i] = -pull;
      }
    }
  }

  /** Adds this step's terms for the piece starting at {@code pieceOffset} to its mean gradient. */
  void addTo(long pieceOffset, dptrain.protocol.tensor.FlatArray gradient) {
    if (terms == null) {
      return;
    }
    int from = (int) (pieceOffset - offset);
    for (int i = 0; i < gradient.length(); i++) {
      double term = terms[from + i];
      if (term != 0) {
        gradient.set(i, gradient.get(i) + term);
      }
    }
  }
}
