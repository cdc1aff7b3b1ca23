package dptrain.coordinator.round;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.ShardParametersChunk;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Asks every shard for its parameters and assembles the whole flat vector from their pieces;
 * for a checkpoint, also every optimizer state array (each a vector as long as the parameters)
 * and every piece's optimizer counters. A {@link Round}.
 */
public final class ParameterCollection {
  private ParameterCollection() {}

  /** How the collection ended. */
  public sealed interface Outcome {}

  /**
   * The assembled vector, and with state the optimizer's state arrays and each piece's counters
   * by offset (else empty); {@code refusedChunks}: what the shards refused over the run.
   */
  public record Collected(FlatArray parameters, List<FlatArray> state, Map<Long, double[]> counters, long refusedChunks)
      implements Outcome {}

  public record NotCollected(String reason) implements Outcome {}

  /**
   * What to collect: {@code slots} > 1 adds the optimizer's {@code slots - 1} state arrays to the
   * parameters. With {@code retryAfter} (null: never) the shards not yet heard in full are asked
   * again each time that long passes: a chunk lost on the wire would otherwise fail the collection.
   */
  public record Request(List<ShardAddress> shards, int size, Precision precision, int slots, Duration timeout,
      Duration retryAfter) {
    public Request(List<ShardAddress> shards, int size, Precision precision, int slots, Duration timeout) {
      this(shards, size, precision, slots, timeout, null);
    }

    public Request(List<ShardAddress> shards, int size, Precision precision, Duration timeout) {
      this(shards, size, precision, 1, timeout);
    }

    public Request withRetry(Duration after) {
      return new Request(shards, size, precision, slots, timeout, after);
    }
  }

  public static Behavior<CoordinatorProtocol.Command> create(Request request, ActorRef<Outcome> replyTo) {
    return Round.create(new Assembly(request), request.timeout(), request.retryAfter(), replyTo);
  }

  /** The vectors being filled; chunks seen once each, whatever a shard sends twice. */
  private static final class Assembly implements Round.Gathering<Outcome> {
    final Request request;
    final List<FlatArray> vectors = new ArrayList<>();
    final Map<Long, double[]> counters = new TreeMap<>();
    /** The length of every chunk taken, by slot * size + offset. */
    final Map<Long, Integer> lengths = new HashMap<>();
    final Map<Integer, Long> refused = new HashMap<>();
    long received;

    Assembly(Request request) {
      this.request = request;
      for (int slot = 0; slot < request.slots(); slot++) {
        vectors.add(FlatArray.zeros(request.precision(), request.size()));
      }
    }

    @Override
    public Optional<Outcome> ask(ActorRef<CoordinatorProtocol.Command> self) {
      request.shards().forEach(shard -> shard.shard().tell(new ShardProtocol.GetParameters(self, request.slots() > 1)));
      return Optional.empty();
    }

    @Override
    public void askAgain(ActorRef<CoordinatorProtocol.Command> self) {
      request.shards().stream().filter(shard -> receivedFrom(shard) < (long) shard.length() * request.slots())
          .forEach(shard -> shard.shard().tell(new ShardProtocol.GetParameters(self, request.slots() > 1)));
    }

    /** The values taken so far from the chunks that start in {@code shard}'s range, over every slot. */
    private long receivedFrom(ShardAddress shard) {
      return lengths.entrySet().stream().filter(e -> {
        long offset = e.getKey() % request.size();
        return offset >= shard.offset() && offset < shard.offset() + shard.length();
      }).mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public Optional<Outcome> take(CoordinatorProtocol.Command reply) {
      if (!(reply instanceof ShardParametersChunk part)) {
        return Optional.empty();
      }
      var chunk = part.chunk();
      if (chunk.end() > request.size() || chunk.precision() != request.precision() || part.slot() < 0
          || part.slot() >= request.slots()
          || lengths.putIfAbsent(part.slot() * (long) request.size() + chunk.offset(), chunk.length()) != null) {
        return Optional.empty();
      }
      chunk.copyInto(vectors.get(part.slot()), (int) chunk.offset());
      received += chunk.length();
      refused.put(part.shard(), part.refused());
      if (part.slot() == 0 && request.slots() > 1) {
        counters.put(chunk.offset(), part.counters());
      }
      return received < expected() ? Optional.empty() : Optional.of(new Collected(vectors.get(0),
          List.copyOf(vectors.subList(1, request.slots())), counters,
          refused.values().stream().mapToLong(Long::longValue).sum()));
    }

    @Override
    public Outcome timedOut() {
      return new NotCollected("received " + received + " of " + expected() + " values from the shards before the timeout");
    }

    private long expected() {
      return (long) request.size() * request.slots();
    }
  }
}
