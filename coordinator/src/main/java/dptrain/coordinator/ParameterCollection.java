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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Asks every shard for its parameters and assembles the whole flat vector from their pieces;
 * for a checkpoint, also every optimizer state array (each a vector as long as the parameters)
 * and every piece's optimizer counters.
 */
final class ParameterCollection {
  private ParameterCollection() {}

  /**
   * The assembled vector (and with state: the optimizer's state arrays and each piece's
   * counters by offset; else empty), or why it could not be assembled.
   */
  record Collected(FlatArray parameters, List<FlatArray> state, Map<Long, double[]> counters, long refusedChunks,
      String failure) implements CoordinatorProtocol.Internal {}

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

  static Behavior<CoordinatorProtocol.Command> create(List<ShardAddress> shards, int size, Precision precision, Duration timeout,
      ActorRef<CoordinatorProtocol.Command> replyTo) {
    return create(shards, size, precision, 1, timeout, replyTo);
  }

  /** With {@code slots} > 1: the parameters and the optimizer's {@code slots - 1} state arrays. */
  static Behavior<CoordinatorProtocol.Command> create(List<ShardAddress> shards, int size, Precision precision, int slots,
      Duration timeout, ActorRef<CoordinatorProtocol.Command> replyTo) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      shards.forEach(shard -> shard.shard().tell(new ShardProtocol.GetParameters(context.getSelf(), slots > 1)));
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      List<FlatArray> vectors = new ArrayList<>();
      for (int slot = 0; slot < slots; slot++) {
        vectors.add(FlatArray.zeros(precision, size));
      }
      Map<Long, double[]> counters = new TreeMap<>();
      Set<Long> seen = new HashSet<>();
      Map<Integer, Long> refused = new HashMap<>();
      long[] received = {0};
      long expected = (long) size * slots;
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(ShardParametersChunk.class, part -> {
            if (part.chunk().end() <= size && part.chunk().precision() == precision && part.slot() >= 0 && part.slot() < slots
                && seen.add(part.slot() * (long) size + part.chunk().offset())) {
              part.chunk().copyInto(vectors.get(part.slot()), (int) part.chunk().offset());
              received[0] += part.chunk().length();
              refused.put(part.shard(), part.refused());
              if (part.slot() == 0 && slots > 1) {
                counters.put(part.chunk().offset(), part.counters());
              }
            }
            if (received[0] < expected) {
              return Behaviors.same();
            }
            replyTo.tell(new Collected(vectors.get(0), List.copyOf(vectors.subList(1, slots)), counters,
                refused.values().stream().mapToLong(Long::longValue).sum(), null));
            return Behaviors.stopped();
          })
          .onMessage(TimedOut.class, t -> {
            replyTo.tell(new Collected(null, List.of(), Map.of(), 0, "received " + received[0] + " of " + expected
                + " values from the shards before the timeout"));
            return Behaviors.stopped();
          })
          .build();
    }));
  }
}
