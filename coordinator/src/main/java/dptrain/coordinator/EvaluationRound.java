package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.plan.BalancedSplit;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.Evaluated;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;

/**
 * One evaluation of parameters of a given version: the test rows are split into contiguous
 * ranges, one per worker; the round sums what comes back and reports once, or fails when a
 * worker fails or the time is up. A short-lived child, as Akka's Aggregator pattern.
 */
final class EvaluationRound {
  private EvaluationRound() {}

  /** The summed loss and correct predictions; correct is negative when accuracy does not apply. */
  record Result(long version, double lossSum, long correct, long count, boolean validation) {
    double meanLoss() {
      return lossSum / count;
    }

    double accuracy() {
      return correct < 0 ? Double.NaN : (double) correct / count;
    }
  }

  /** What the round reports to its parent. */
  record Report(Result result, String failure) implements CoordinatorProtocol.Internal {}

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  static Behavior<CoordinatorProtocol.Command> create(List<ActorRef<WorkerProtocol.Command>> workers,
      long version, int testRows, Duration timeout, ActorRef<CoordinatorProtocol.Command> replyTo) {
    return create(workers, version, testRows, false, timeout, replyTo);
  }

  /** Over the test rows, or with {@code validation} over the validation rows. */
  static Behavior<CoordinatorProtocol.Command> create(List<ActorRef<WorkerProtocol.Command>> workers,
      long version, int rows, boolean validation, Duration timeout, ActorRef<CoordinatorProtocol.Command> replyTo) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      int asked = 0;
      long[] bounds = BalancedSplit.bounds(rows, workers.size());
      for (int w = 0; w < workers.size(); w++) {
        if (bounds[w + 1] > bounds[w]) {
          workers.get(w).tell(new WorkerProtocol.Evaluate(version, (int) bounds[w], (int) bounds[w + 1], context.getSelf(),
              validation));
          asked++;
        }
      }
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      return collecting(version, asked, new Result(version, 0, 0, 0, validation), replyTo);
    }));
  }

  private static Behavior<CoordinatorProtocol.Command> collecting(long version, int waiting, Result sum,
      ActorRef<CoordinatorProtocol.Command> replyTo) {
    return Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(Evaluated.class, e -> {
          Result next = new Result(version, sum.lossSum() + e.lossSum(),
              sum.correct() < 0 || e.correct() < 0 ? -1 : sum.correct() + e.correct(), sum.count() + e.count(),
              sum.validation());
          if (waiting == 1) {
            replyTo.tell(new Report(next, null));
            return Behaviors.stopped();
          }
          return collecting(version, waiting - 1, next, replyTo);
        })
        .onMessage(WorkerFailed.class, f -> fail(replyTo, "worker " + f.worker().path() + " failed to evaluate: " + f.reason()))
        .onMessage(TimedOut.class, t -> fail(replyTo, "evaluation of version " + version + " timed out waiting for "
            + waiting + " worker(s)"))
        .build();
  }

  private static Behavior<CoordinatorProtocol.Command> fail(ActorRef<CoordinatorProtocol.Command> replyTo, String why) {
    replyTo.tell(new Report(null, why));
    return Behaviors.stopped();
  }
}
