package dptrain.ps;

import dptrain.protocol.job.GradientRules;
import dptrain.protocol.tensor.FlatArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The job's {@link GradientRules} as they fall on one piece [offset, offset + length): the
 * penalty ranges cut to the piece, and the clipping and noise settings.
 */
final class PieceRules {
  private record Segment(int from, int to, double l1, double l2, double decoupled) {}

  private final GradientRules rules;
  private final long offset;
  private final List<Segment> segments = new ArrayList<>();

  PieceRules(GradientRules rules, long offset, int length) {
    this.rules = rules;
    this.offset = offset;
    for (GradientRules.Penalty p : rules.penalties()) {
      long from = Math.max(offset, p.offset());
      long to = Math.min(offset + length, p.offset() + p.length());
      if (from < to) {
        segments.add(new Segment((int) (from - offset), (int) (to - offset), p.l1(), p.l2(), p.decoupled()));
      }
    }
  }

  /**
   * Adds the coupled penalties' gradient (taken at {@code at}, where the loss gradient was
   * taken), the step's noise, and clips each value; returns the sum of squares afterwards
   * (0 when no rule is set, which costs no pass over the values).
   */
  double prepare(FlatArray gradient, FlatArray at, long step) {
    if (segments.isEmpty() && rules.noiseEta() == 0 && rules.clipValue() == 0 && !rules.clipsByNorm()) {
      return 0; // nothing to do, and nobody asks for the norm
    }
    for (Segment s : segments) {
      if (s.l1() == 0 && s.l2() == 0) {
        continue;
      }
      for (int i = s.from(); i < s.to(); i++) {
        double w = at.get(i);
        gradient.set(i, gradient.get(i) + s.l2() * w + s.l1() * Math.signum(w));
      }
    }
    if (rules.noiseEta() > 0) {
      double std = GradientNoise.standardDeviation(rules.noiseEta(), rules.noiseGamma(), step);
      for (int i = 0; i < gradient.length(); i++) {
        gradient.set(i, gradient.get(i) + std * GradientNoise.gaussian(rules.seed(), step, offset + i));
      }
    }
    double clip = rules.clipValue();
    double squares = 0;
    for (int i = 0; i < gradient.length(); i++) {
      double g = gradient.get(i);
      if (clip > 0 && Math.abs(g) > clip) {
        gradient.set(i, Math.copySign(clip, g));
        g = gradient.get(i);
      }
      squares += g * g;
    }
    return squares;
  }

  /** Scales the gradient (clipping by global norm), unless the factor is 1. */
  void scale(FlatArray gradient, double factor) {
    if (factor != 1) {
      for (int i = 0; i < gradient.length(); i++) {
        gradient.set(i, gradient.get(i) * factor);
      }
    }
  }

  /** Decoupled weight decay: w -= lr * lambda * w on the ranges that have it. */
  void decay(FlatArray parameters, double lr) {
    for (Segment s : segments) {
      if (s.decoupled() == 0) {
        continue;
      }
      double shrink = 1 - lr * s.decoupled();
      for (int i = s.from(); i < s.to(); i++) {
        parameters.set(i, parameters.get(i) * shrink);
      }
    }
  }
}
