package dptrain.coordinator;

import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import dptrain.coordinator.round.Round;
import dptrain.ps.ShardRanges;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.ShardHosted;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.TensorChunk;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the job's shards on their hosts and loads each with its range of the initial vector,
 * in chunks that fit one frame; reports the shards' addresses once every host has answered.
 */
final class ShardPlacement {
  private ShardPlacement() {}

  /** How the placement ended. */
  sealed interface Outcome {}

  /** The placed shards, in range order. */
  record Placed(List<ShardAddress> shards) implements Outcome {}

  record NotPlaced(String reason) implements Outcome {}

  /**
   * What to place: the job, the hosts (one per shard), the ranges and what goes in them; when
   * resuming, also the optimizer's state arrays and each piece's counters (else empty).
   */
  record Plan(String jobId, int generation, ConsistencyMode mode, List<ActorRef<ShardHostProtocol.Command>> hosts, List<ShardRanges.Range> ranges,
      FlatArray initial, OptimizerSpec optimizer, GradientRules rules, int pieceFloats, List<FlatArray> state,
      Map<Long, double[]> counters) {}

  /** {@code coordinator}: where the shards send their reports; {@code replyTo} hears the outcome. */
  static Behavior<CoordinatorProtocol.Command> create(Plan plan, ActorRef<CoordinatorProtocol.Command> coordinator,
      ActorRef<Outcome> replyTo, Duration timeout) {
    return Round.create(new Placing(plan, coordinator, timeout), timeout, replyTo);
  }

  /** Asks each host to start its shard, and loads each shard as soon as its host answers. */
  private static final class Placing implements Round.Gathering<Outcome> {
    private final Plan plan;
    private final ActorRef<CoordinatorProtocol.Command> coordinator;
    private final Duration timeout;
    private final ShardAddress[] placed;
    private int waiting;

    Placing(Plan plan, ActorRef<CoordinatorProtocol.Command> coordinator, Duration timeout) {
      this.plan = plan;
      this.coordinator = coordinator;
      this.timeout = timeout;
      this.placed = new ShardAddress[plan.ranges().size()];
      this.waiting = placed.length;
    }

    @Override
    public Optional<Outcome> ask(ActorRef<CoordinatorProtocol.Command> self) {
      for (int s = 0; s < plan.ranges().size(); s++) {
        var range = plan.ranges().get(s);
        plan.hosts().get(s).tell(new ShardHostProtocol.HostShard(plan.jobId(), s, range.offset(), range.length(),
            plan.optimizer(), plan.pieceFloats(), coordinator, self, plan.initial().precision(), plan.rules(),
            plan.generation(), plan.mode()));
      }
      return Optional.empty();
    }

    @Override
    public Optional<Outcome> take(CoordinatorProtocol.Command reply) {
      if (!(reply instanceof ShardHosted hosted) || !hosted.jobId().equals(plan.jobId())
          || hosted.shard() < 0 || hosted.shard() >= placed.length || placed[hosted.shard()] != null) {
        return Optional.empty();
      }
      var range = plan.ranges().get(hosted.shard());
      placed[hosted.shard()] = new ShardAddress(hosted.shardRef(), range.offset(), range.length());
      load(hosted.shardRef(), range, plan);
      return --waiting > 0 ? Optional.empty() : Optional.of(new Placed(Arrays.asList(placed)));
    }

    @Override
    public Outcome timedOut() {
      return new NotPlaced(waiting + " shard host(s) did not answer within " + timeout.toSeconds() + " s");
    }
  }

  private static void load(ActorRef<ShardProtocol.Command> shard, ShardRanges.Range range, Plan plan) {
    for (Chunking.Piece piece : Chunking.split(range.offset(), range.length(), plan.pieceFloats())) {
      shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(piece.offset(), plan.initial(), (int) piece.offset(),
          piece.length()), 0, plan.counters().getOrDefault(piece.offset(), new double[0])));
      for (int slot = 1; slot <= plan.state().size(); slot++) {
        shard.tell(new ShardProtocol.LoadParameters(TensorChunk.of(piece.offset(), plan.state().get(slot - 1),
            (int) piece.offset(), piece.length()), slot, new double[0]));
      }
    }
  }
}
