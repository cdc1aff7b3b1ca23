package dptrain.ps;

import dptrain.protocol.job.GradientRules;
import dptrain.protocol.tensor.FlatArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The positions of one piece that no optimizer may move: running statistics (batch norm's
 * mean and variance), which become (1 - m) old + m reported, where the workers report the
 * statistic in place of a gradient; and frozen ranges, which keep their value. Their gradient
 * slots are zeroed before penalties, clipping and the optimizer see the gradient.
 */
final class HeldRanges {
  /** [from, to) within the piece; momentum 0 = frozen. */
  private record Segment(int from, int to, double momentum) {}

  private final List<Segment> segments = new ArrayList<>();
  private final double[] reported;
  private final double[] before;

  HeldRanges(GradientRules rules, long offset, int length) {
    for (GradientRules.Statistic s : rules.statistics()) {
      add(offset, length, s.offset(), s.length(), s.momentum());
    }
    for (GradientRules.Range r : rules.frozen()) {
      add(offset, length, r.offset(), r.length(), 0);
    }
    reported = segments.isEmpty() ? new double[0] : new double[length];
    before = segments.isEmpty() ? new double[0] : new double[length];
  }

  private void add(long offset, int length, long from, long size, double momentum) {
    long a = Math.max(offset, from);
    long b = Math.min(offset + length, from + size);
    if (a < b) {
      segments.add(new Segment((int) (a - offset), (int) (b - offset), momentum));
    }
  }

  /** Keeps the reported statistics and zeroes every held slot of the gradient. */
  void take(FlatArray gradient) {
    for (Segment s : segments) {
      for (int i = s.from(); i < s.to(); i++) {
        reported[i] = gradient.get(i);
        gradient.set(i, 0);
      }
    }
  }

  /** Zeroes the held slots again (after noise was added); returns the sum of squares removed. */
  double zero(FlatArray gradient) {
    double squares = 0;
    for (Segment s : segments) {
      for (int i = s.from(); i < s.to(); i++) {
        double g = gradient.get(i);
        squares += g * g;
        gradient.set(i, 0);
      }
    }
    return squares;
  }

  /** Remembers the held values before an update. */
  void remember(FlatArray parameters) {
    for (Segment s : segments) {
      for (int i = s.from(); i < s.to(); i++) {
        before[i] = parameters.get(i);
      }
    }
  }

  /** After an update: frozen values back as they were, running statistics averaged with the reported ones. */
  void restore(FlatArray parameters) {
    for (Segment s : segments) {
      double m = s.momentum();
      for (int i = s.from(); i < s.to(); i++) {
        parameters.set(i, m == 0 ? before[i] : (1 - m) * before[i] + m * reported[i]);
      }
    }
  }
}
