package dptrain.coordinator.kmeans;

import dptrain.protocol.job.KMeansMove;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import dptrain.protocol.tensor.BalancedSplit;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.KMeansReport;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.model.ParameterLayout;
import dptrain.worker.random.Seeds;
import java.time.Duration;
import java.util.List;

/**
 * k-means over the training rows, data-parallel: each worker owns a contiguous range of rows
 * and answers moves over it; this child of the Coordinator keeps the centres. Seeding is
 * k-means++ (each new centre drawn with probability proportional to D^2): the workers report
 * their sums of D^2, a seeded draw u in [0, total) picks the worker whose range holds it, and
 * that worker returns the row where its running sum passes u. The draw is over the rows in
 * their global order, so the centres do not depend on the number of workers. Then Lloyd steps
 * until no centre moves or the iterations run out. Each unit's width sigma_j is the RMS
 * distance of its rows to its centre (the mean of the others for a unit with fewer than 2 rows).
 */
public final class KMeansRun {
  /** How the run ended, for its parent. */
  public sealed interface Outcome extends CoordinatorProtocol.Internal {}

  /** The centres (k x width, row-major), the widths, the summed squared distances and the Lloyd steps taken. */
  public record Placed(double[] centres, double[] widths, double inertia, int iterations) implements Outcome {

    /** A copy of {@code initial} with these centres as {@code layer}'s weight columns and these widths as its bias. */
    public FlatArray placedIn(FlatArray initial, ParameterLayout.Dense layer) {
      FlatArray values = FlatArray.of(initial.precision(), initial.toDoubles());
      int units = layer.out();
      for (int c = 0; c < units; c++) {
        for (int j = 0; j < layer.in(); j++) {
          values.set((int) layer.weightOffset() + j * units + c, centres[c * layer.in() + j]);
        }
        values.set((int) layer.biasOffset() + c, widths[c]);
      }
      return values;
    }
  }

  /** Why the centres could not be placed. */
  public record NotPlaced(String reason) implements Outcome {}

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  /** What to run: k centres of {@code width} values over {@code rows} training rows. */
  public record Setup(List<ActorRef<WorkerProtocol.Command>> workers, int rows, int width, int k, int iterations, long seed,
      Duration timeout, ActorRef<CoordinatorProtocol.Command> replyTo) {}

  public static Behavior<CoordinatorProtocol.Command> create(Setup setup) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new KMeansRun(context, timers, setup).seed()));
  }

  private final ActorContext<CoordinatorProtocol.Command> context;
  private final TimerScheduler<CoordinatorProtocol.Command> timers;
  private final Setup setup;
  private final long[] bounds;
  private final double[] centres;
  private int found;
  private long round;
  private int iteration;

  private KMeansRun(ActorContext<CoordinatorProtocol.Command> context, TimerScheduler<CoordinatorProtocol.Command> timers,
      Setup setup) {
    this.context = context;
    this.timers = timers;
    this.setup = setup;
    this.bounds = BalancedSplit.bounds(setup.rows(), setup.workers().size());
    this.centres = new double[setup.k() * setup.width()];
  }

  /** k-means++: the next centre, or Lloyd once there are k. */
  private Behavior<CoordinatorProtocol.Command> seed() {
    if (found == setup.k()) {
      return lloyd();
    }
    double[] sums = new double[setup.workers().size()];
    int asked = askAll(KMeansMove.D2, 0);
    return collect(asked, (report, index) -> sums[index] = report.d2Sum(), () -> {
      double total = 0;
      for (double s : sums) {
        total += s;
      }
      double u = Seeds.random(setup.seed(), "kmeans++", found).nextDouble() * total;
      int w = 0;
      double before = 0;
      while (w + 1 < sums.length && (sums[w] == 0 || before + sums[w] <= u)) {
        before += sums[w];
        w++;
      }
      round++;
      setup.workers().get(w).tell(new WorkerProtocol.KMeans(round, KMeansMove.PICK, (int) bounds[w], (int) bounds[w + 1],
          current(), found, u - before, context.getSelf()));
      return collect(1, (report, index) -> System.arraycopy(report.picked(), 0, centres, found * setup.width(), setup.width()),
          () -> {
            found++;
            return seed();
          });
    });
  }

  /** One Lloyd step: every worker assigns its rows; the centres move to their rows' means. */
  private Behavior<CoordinatorProtocol.Command> lloyd() {
    int k = setup.k();
    int width = setup.width();
    double[] sums = new double[k * width];
    long[] counts = new long[k];
    double[] squares = new double[k];
    int asked = askAll(KMeansMove.ASSIGN, 0);
    return collect(asked, (report, index) -> {
      for (int i = 0; i < sums.length; i++) {
        sums[i] += report.sums()[i];
      }
      for (int c = 0; c < k; c++) {
        counts[c] += report.counts()[c];
        squares[c] += report.squares()[c];
      }
    }, () -> {
      iteration++;
      boolean moved = false;
      for (int c = 0; c < k; c++) {
        for (int j = 0; counts[c] > 0 && j < width; j++) {
          double mean = sums[c * width + j] / counts[c];
          moved |= mean != centres[c * width + j];
          centres[c * width + j] = mean;
        }
      }
      if (moved && iteration < setup.iterations()) {
        return lloyd();
      }
      double inertia = 0;
      for (double s : squares) {
        inertia += s;
      }
      setup.replyTo().tell(new Placed(centres.clone(), widths(counts, squares), inertia, iteration));
      return Behaviors.stopped();
    });
  }

  private static double[] widths(long[] counts, double[] squares) {
    double[] widths = new double[counts.length];
    double sum = 0;
    int measured = 0;
    for (int c = 0; c < counts.length; c++) {
      if (counts[c] >= 2 && squares[c] > 0) {
        widths[c] = Math.sqrt(squares[c] / counts[c]);
        sum += widths[c];
        measured++;
      }
    }
    double fallback = measured > 0 ? sum / measured : 1.0;
    for (int c = 0; c < counts.length; c++) {
      if (widths[c] == 0) {
        widths[c] = fallback;
      }
    }
    return widths;
  }

  private double[] current() {
    return java.util.Arrays.copyOf(centres, found * setup.width());
  }

  private int askAll(KMeansMove kind, double target) {
    round++;
    int asked = 0;
    for (int w = 0; w < setup.workers().size(); w++) {
      if (bounds[w + 1] > bounds[w]) {
        setup.workers().get(w).tell(new WorkerProtocol.KMeans(round, kind, (int) bounds[w], (int) bounds[w + 1],
            current(), kind == KMeansMove.ASSIGN ? setup.k() : found, target, context.getSelf()));
        asked++;
      }
    }
    return asked;
  }

  private interface Add {
    void add(KMeansReport report, int workerIndex);
  }

  private interface Then {
    Behavior<CoordinatorProtocol.Command> next();
  }

  /** Waits for {@code expected} reports of the current round, adds each, then goes on. */
  private Behavior<CoordinatorProtocol.Command> collect(int expected, Add add, Then then) {
    timers.startSingleTimer(TimedOut.INSTANCE, setup.timeout());
    int[] waiting = {expected};
    long thisRound = round;
    return Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(KMeansReport.class, report -> {
          if (report.round() != thisRound) {
            return Behaviors.same();
          }
          add.add(report, setup.workers().indexOf(report.worker()));
          return --waiting[0] == 0 ? then.next() : Behaviors.same();
        })
        .onMessage(WorkerFailed.class, f -> fail("worker " + f.worker().path().name() + ": " + f.reason()))
        .onMessage(TimedOut.class, t -> fail("k-means round " + thisRound + " timed out waiting for " + waiting[0]
            + " worker(s)"))
        .build();
  }

  private Behavior<CoordinatorProtocol.Command> fail(String why) {
    setup.replyTo().tell(new NotPlaced(why));
    return Behaviors.stopped();
  }
}
