package dptrain.coordinator.round;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import dptrain.protocol.tensor.BalancedSplit;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.Evaluated;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One evaluation of parameters of a given version: the rows are split into contiguous ranges,
 * one per worker; the round sums what comes back and reports once, or fails when a worker fails
 * or the time is up: a {@link Round}. Asked to, it asks the workers that have not answered again.
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

  /** Over the test rows, or with {@code validation} over the validation rows. */
  public static Behavior<CoordinatorProtocol.Command> create(List<ActorRef<WorkerProtocol.Command>> workers,
      long version, int rows, boolean validation, Duration timeout, ActorRef<Outcome> replyTo) {
    return create(workers, version, rows, validation, timeout, null, List.of(), replyTo);
  }

  /**
   * Asking again, every {@code retryAfter}, each worker that has not answered, and the {@code
   * shards} to publish their values of the version again (a worker that lost one cannot evaluate).
   */
  public static Behavior<CoordinatorProtocol.Command> create(List<ActorRef<WorkerProtocol.Command>> workers,
      long version, int rows, boolean validation, Duration timeout, Duration retryAfter,
      List<ActorRef<ShardProtocol.Command>> shards, ActorRef<Outcome> replyTo) {
    return Round.create(new Sum(workers, version, rows, validation, shards), timeout, retryAfter, replyTo);
  }

  /**
   * Asks each worker for its contiguous range of the rows and adds up what they report, once per
   * worker: a reply the wire doubled, or the answer to a request asked again, is not counted twice.
   */
  private static final class Sum implements Round.Gathering<Outcome> {
    private final List<ActorRef<WorkerProtocol.Command>> workers;
    private final long version;
    private final int rows;
    private final boolean validation;
    private final List<ActorRef<ShardProtocol.Command>> shards;
    /** The requests not yet answered, by worker. */
    private final Map<ActorRef<WorkerProtocol.Command>, WorkerProtocol.Evaluate> waiting = new LinkedHashMap<>();
    private Result sum;

    Sum(List<ActorRef<WorkerProtocol.Command>> workers, long version, int rows, boolean validation,
        List<ActorRef<ShardProtocol.Command>> shards) {
      this.workers = workers;
      this.version = version;
      this.rows = rows;
      this.validation = validation;
      this.shards = shards;
      this.sum = new Result(version, 0, 0, 0, validation);
    }

    @Override
    public Optional<Outcome> ask(ActorRef<CoordinatorProtocol.Command> self) {
      long[] bounds = BalancedSplit.bounds(rows, workers.size());
      for (int w = 0; w < workers.size(); w++) {
        if (bounds[w + 1] > bounds[w]) {
          var request = new WorkerProtocol.Evaluate(version, (int) bounds[w], (int) bounds[w + 1], self, validation);
          waiting.put(workers.get(w), request);
          workers.get(w).tell(request);
        }
      }
      return waiting.isEmpty() ? Optional.of(new Failed("no rows to evaluate version " + version + " on")) : Optional.empty();
    }

    @Override
    public Optional<Outcome> take(CoordinatorProtocol.Command reply) {
      if (reply instanceof WorkerFailed f) {
        return Optional.of(new Failed("worker " + f.worker().path() + " failed to evaluate: " + f.reason()));
      }
      if (reply instanceof Evaluated e && e.version() == version && waiting.remove(e.worker()) != null) {
        sum = sum.plus(e);
        return waiting.isEmpty() ? Optional.of(new Succeeded(sum)) : Optional.empty();
      }
      return Optional.empty();
    }

    @Override
    public void askAgain(ActorRef<CoordinatorProtocol.Command> self) {
      shards.forEach(shard -> shard.tell(new ShardProtocol.ReportStep(version)));
      waiting.forEach(ActorRef::tell);
    }

    @Override
    public Outcome timedOut() {
      return new Failed("evaluation of version " + version + " timed out waiting for " + waiting.size() + " worker(s): "
          + waiting.keySet().stream().map(w -> w.path().address().toString()).distinct().toList());
    }
  }
}
