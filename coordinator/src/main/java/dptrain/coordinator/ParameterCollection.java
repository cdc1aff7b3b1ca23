package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.ps.ParameterShard;
import dptrain.coordinator.ps.ParameterShard.ShardParameters;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import java.time.Duration;
import java.util.List;

/** Asks every shard for its range and assembles the whole flat parameter vector. */
final class ParameterCollection {
  private ParameterCollection() {}

  /** The assembled vector, or why it could not be assembled. */
  record Collected(float[] parameters, long refusedChunks, String failure) implements CoordinatorProtocol.Internal {}

  private enum TimedOut {
    INSTANCE
  }

  static Behavior<Object> create(List<ActorRef<ShardProtocol.Command>> shards, int size, Duration timeout,
      ActorRef<CoordinatorProtocol.Command> replyTo) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<ShardParameters> self = context.getSelf().narrow();
      shards.forEach(shard -> shard.tell(new ParameterShard.GetParameters(self)));
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      float[] parameters = new float[size];
      int[] waiting = {shards.size()};
      long[] refused = {0};
      return Behaviors.receive(Object.class)
          .onMessage(ShardParameters.class, part -> {
            System.arraycopy(part.values(), 0, parameters, (int) part.offset(), part.values().length);
            refused[0] += part.refused();
            if (--waiting[0] == 0) {
              replyTo.tell(new Collected(parameters, refused[0], null));
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .onMessage(TimedOut.class, t -> {
            replyTo.tell(new Collected(null, refused[0], waiting[0] + " shard(s) did not send their parameters in time"));
            return Behaviors.stopped();
          })
          .build();
    }));
  }
}
