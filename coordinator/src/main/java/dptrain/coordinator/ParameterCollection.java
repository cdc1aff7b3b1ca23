package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.ShardParametersChunk;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Asks every shard for its parameters and assembles the whole flat vector from their pieces. */
final class ParameterCollection {
  private ParameterCollection() {}

  /** The assembled vector, or why it could not be assembled. */
  record Collected(FlatArray parameters, long refusedChunks, String failure) implements CoordinatorProtocol.Internal {}

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  static Behavior<CoordinatorProtocol.Command> create(List<ShardAddress> shards, int size, Precision precision, Duration timeout,
      ActorRef<CoordinatorProtocol.Command> replyTo) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      shards.forEach(shard -> shard.shard().tell(new ShardProtocol.GetParameters(context.getSelf())));
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      FlatArray parameters = FlatArray.zeros(precision, size);
      Set<Long> seen = new HashSet<>();
      Map<Integer, Long> refused = new HashMap<>();
      long[] received = {0};
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(ShardParametersChunk.class, part -> {
            if (part.chunk().end() <= size && part.chunk().precision() == precision && seen.add(part.chunk().offset())) {
              part.chunk().copyInto(parameters, (int) part.chunk().offset());
              received[0] += part.chunk().length();
              refused.put(part.shard(), part.refused());
            }
            if (received[0] < size) {
              return Behaviors.same();
            }
            replyTo.tell(new Collected(parameters, refused.values().stream().mapToLong(Long::longValue).sum(), null));
            return Behaviors.stopped();
          })
          .onMessage(TimedOut.class, t -> {
            replyTo.tell(new Collected(null, 0, "received " + received[0] + " of " + size
                + " parameters from the shards before the timeout"));
            return Behaviors.stopped();
          })
          .build();
    }));
  }
}
