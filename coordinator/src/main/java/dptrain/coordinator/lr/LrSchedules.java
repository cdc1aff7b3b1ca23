package dptrain.coordinator.lr;

/**
 * Builds the {@link LrSchedule} of a {@link LrScheduleSpec} once the run's length is known.
 * Closed forms, step k from 0, base rate lr0 (after the linear scaling rule):
 * <ul>
 *   <li>constant: lr0.
 *   <li>linear (Goodfellow et al. eq. 8.14): (1 - k/tau) lr0 + (k/tau) lr_tau until tau, then
 *       lr_tau; tau defaults to the whole run, final (lr_tau) to lr0 / 100.
 *   <li>step: lr0 gamma^floor(k / every); every defaults to one epoch, gamma to 0.1.
 *   <li>exponential: lr0 gamma^k (gamma default 0.999).
 *   <li>plateau: lr0, times factor (default 0.5, "halve") whenever the evaluation loss has not
 *       improved by a relative threshold (default 1e-4) for more than patience (default 2)
 *       evaluations, never below min; as torch's ReduceLROnPlateau in mode min.
 *   <li>cosine: min + (lr0 - min)(1 + cos(pi k / period)) / 2, then min; period defaults to the run.
 *   <li>one-cycle (Smith 2018, torch's OneCycleLR with cosine annealing): from lr0/div up to lr0
 *       over the first pct (0.3) of the run, then down to lr0/(div final-div); div 25, final-div 1e4.
 *   <li>sgdr (Loshchilov and Hutter 2017): cosine from lr0 to min over period steps (default one
 *       epoch), restarting with periods multiplied by mult (default 1).
 * </ul>
 * A warm-up of W steps goes in front of any of them: step k < W runs at lr(0) (k + 1) / W, and
 * the schedule proper starts after it.
 */
public final class LrSchedules {
  private LrSchedules() {}

  public static LrSchedule build(LrScheduleSpec spec, double lr, int globalBatch, long totalSteps, long stepsPerEpoch) {
    double base = spec.scalingBase() > 0 ? lr * globalBatch / spec.scalingBase() : lr;
    long run = Math.max(1, totalSteps - spec.warmupSteps());
    LrSchedule inner = switch (spec.name()) {
      case "constant" -> k -> base;
      case "linear" -> linear(base, spec.option("tau", run), spec.option("final", base / 100));
      case "step" -> {
        double every = spec.option("every", stepsPerEpoch);
        double gamma = spec.option("gamma", 0.1);
        yield k -> base * Math.pow(gamma, Math.floor(k / every));
      }
      case "exponential" -> {
        double gamma = spec.option("gamma", 0.999);
        yield k -> base * Math.pow(gamma, k);
      }
      case "plateau" -> new Plateau(base, (int) spec.option("patience", 2), spec.option("factor", 0.5),
          spec.option("threshold", 1e-4), spec.option("min", 0));
      case "cosine" -> cosine(base, spec.option("min", 0), spec.option("period", run));
      case "one-cycle" -> oneCycle(base, spec.option("pct", 0.3), spec.option("div", 25),
          spec.option("final-div", 1e4), run);
      case "sgdr" -> sgdr(base, spec.option("min", 0), spec.option("period", stepsPerEpoch), (long) spec.option("mult", 1));
      default -> throw new IllegalArgumentException("unknown schedule " + spec.name());
    };
    return spec.warmupSteps() == 0 ? inner : new WarmUp(inner, spec.warmupSteps());
  }

  private static LrSchedule linear(double lr0, double tau, double lrTau) {
    return k -> {
      if (k >= tau) {
        return lrTau;
      }
      double alpha = k / tau;
      return (1 - alpha) * lr0 + alpha * lrTau;
    };
  }

  private static LrSchedule cosine(double lr0, double min, double period) {
    return k -> k >= period ? min : min + (lr0 - min) * (1 + Math.cos(Math.PI * k / period)) / 2;
  }

  private static LrSchedule oneCycle(double max, double pct, double div, double finalDiv, long run) {
    double initial = max / div;
    double last = initial / finalDiv;
    // torch.optim.lr_scheduler.OneCycleLR's phase ends: pct * total - 1 and total - 1.
    double rise = pct * run - 1;
    double end = run - 1;
    return k -> {
      if (k <= rise) {
        return annealCos(initial, max, k / rise);
      }
      return annealCos(max, last, Math.min(1, (k - rise) / (end - rise)));
    };
  }

  private static double annealCos(double start, double end, double fraction) {
    return end + (start - end) / 2.0 * (Math.cos(Math.PI * fraction) + 1);
  }

  private static LrSchedule sgdr(double lr0, double min, double period, long mult) {
    return k -> {
      double current = period;
      double t = k;
      while (t >= current) {
        t -= current;
        current *= mult;
      }
      return min + (lr0 - min) * (1 + Math.cos(Math.PI * t / current)) / 2;
    };
  }

  private record WarmUp(LrSchedule inner, long steps) implements LrSchedule {
    @Override
    public double at(long step) {
      return step < steps ? inner.at(0) * (step + 1) / steps : inner.at(step - steps);
    }

    @Override
    public void observeValidationLoss(long step, double loss) {
      inner.observeValidationLoss(step, loss);
    }

    @Override
    public double[] state() {
      return inner.state();
    }

    @Override
    public void restore(double[] state) {
      inner.restore(state);
    }
  }

  /** torch's ReduceLROnPlateau (mode min, relative threshold, no cooldown). */
  private static final class Plateau implements LrSchedule {
    private final int patience;
    private final double factor;
    private final double threshold;
    private final double min;
    private double lr;
    private double best = Double.POSITIVE_INFINITY;
    private int bad;

    Plateau(double lr, int patience, double factor, double threshold, double min) {
      this.lr = lr;
      this.patience = patience;
      this.factor = factor;
      this.threshold = threshold;
      this.min = min;
    }

    @Override
    public double at(long step) {
      return lr;
    }

    @Override
    public void observeValidationLoss(long step, double loss) {
      if (loss < best * (1 - threshold)) {
        best = loss;
        bad = 0;
      } else if (++bad > patience) {
        lr = Math.max(min, lr * factor);
        bad = 0;
      }
    }

    @Override
    public double[] state() {
      return new double[] {lr, best, bad};
    }

    @Override
    public void restore(double[] state) {
      lr = state[0];
      best = state[1];
      bad = (int) state[2];
    }
  }
}
