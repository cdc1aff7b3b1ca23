package dptrain.coordinator.round;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.protocol.tensor.BalancedSplit;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.Evaluated;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;

/**
 * One evaluation of parameters of a given version: the rows are split into contiguous ranges,
 * one per worker; the round sums what comes back and reports once, or fails when a worker fails
 * or the time is up. A short-lived child, as Akka's Aggregator pattern.
 */
public final class EvaluationRound {
  private EvaluationRound() {}

  /** The summed loss and correct predictions; correct is negative when accuracy does not apply. */
  public record Result(long version, double lossSum, long correct, long count, boolean validation) {
    public double meanLoss() {
      return lossSum / count;
    }

    public double accuracy() {
      return correct < 0 ? Double.NaN : (double) correct / count;
    }

    Result plus(Evaluated e) {
      return new Result(version, lossSum + e.lossSum(), correct < 0 || e.correct() < 0 ? -1 : correct + e.correct(),
          count + e.count(), validation);
    }
  }

  /** How the round ended. */
  public sealed interface Outcome {}

  public record Succeeded(Result result) implements Outcome {}

  public record Failed(String reason) implements Outcome {}

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  /** Over the test rows, or with {@code validation} over the validation rows. */
  public static Behavior<CoordinatorProtocol.Command> create(List<ActorRef<WorkerProtocol.Command>> workers,
      long version, int rows, boolean validation, Duration timeout, ActorRef<Outcome> replyTo) {
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
      ActorRef<Outcome> replyTo) {
    return Behaviors.receive(CoordinatorProtocol.Command.class)
        .onMessage(Evaluated.class, e -> onEvaluated(version, waiting, sum.plus(e), replyTo))
        .onMessage(WorkerFailed.class, f -> fail(replyTo, "worker " + f.worker().path() + " failed to evaluate: " + f.reason()))
        .onMessage(TimedOut.class, t -> fail(replyTo, "evaluation of version " + version + " timed out waiting for "
            + waiting + " worker(s)"))
        .build();
  }

  private static Behavior<CoordinatorProtocol.Command> onEvaluated(long version, int waiting, Result sum,
      ActorRef<Outcome> replyTo) {
    if (waiting > 1) {
      return collecting(version, waiting - 1, sum, replyTo);
    }
    replyTo.tell(new Succeeded(sum));
    return Behaviors.stopped();
  }

  private static Behavior<CoordinatorProtocol.Command> fail(ActorRef<Outcome> replyTo, String why) {
    replyTo.tell(new Failed(why));
    return Behaviors.stopped();
  }
}
