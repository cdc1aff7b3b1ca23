package dptrain.coordinator.round;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.protocol.CoordinatorProtocol;
import java.time.Duration;
import java.util.Optional;

/**
 * Akka's Aggregator pattern, written once for every round the control plane runs: a short-lived
 * child asks several actors (workers, shards) for their part, folds each reply into a
 * {@link Gathering}, and reports one outcome to its parent when the gathering is complete, when
 * a reply ends it early (a worker's failure), or when the time is up; then it stops.
 */
public final class Round {
  private Round() {}

  /** What one kind of round asks, how it folds the replies, and what it reports. */
  public interface Gathering<O> {
    /** Sends the requests, with {@code self} as the address for the replies; an outcome at once if none is needed. */
    Optional<O> ask(ActorRef<CoordinatorProtocol.Command> self);

    /** Takes one reply; the outcome once the round is over (complete, or ended by this reply), else empty. */
    Optional<O> take(CoordinatorProtocol.Command reply);

    /** The outcome when the time is up, naming what was still missing. */
    O timedOut();

    /** Asks again those that have not answered (a request or a reply may have been lost); nothing by default. */
    default void askAgain(ActorRef<CoordinatorProtocol.Command> self) {}
  }

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  private enum AskAgain implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  public static <O> Behavior<CoordinatorProtocol.Command> create(Gathering<O> gathering, Duration timeout,
      ActorRef<O> replyTo) {
    return create(gathering, timeout, null, replyTo);
  }

  /** With {@code retryAfter} (null: never), the gathering asks again each time that long passes without its outcome. */
  public static <O> Behavior<CoordinatorProtocol.Command> create(Gathering<O> gathering, Duration timeout,
      Duration retryAfter, ActorRef<O> replyTo) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      var atOnce = gathering.ask(context.getSelf());
      if (atOnce.isPresent()) {
        return report(replyTo, atOnce.get());
      }
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      if (retryAfter != null) {
        timers.startTimerWithFixedDelay(AskAgain.INSTANCE, retryAfter);
      }
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(TimedOut.class, t -> report(replyTo, gathering.timedOut()))
          .onMessage(AskAgain.class, a -> {
            gathering.askAgain(context.getSelf());
            return Behaviors.same();
          })
          .onAnyMessage(reply -> gathering.take(reply).map(outcome -> report(replyTo, outcome)).orElse(Behaviors.same()))
          .build();
    }));
  }

  private static <O> Behavior<CoordinatorProtocol.Command> report(ActorRef<O> replyTo, O outcome) {
    replyTo.tell(outcome);
    return Behaviors.stopped();
  }
}
