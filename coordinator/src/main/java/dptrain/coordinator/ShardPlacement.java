package dptrain.coordinator;

import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
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

  private enum TimedOut implements CoordinatorProtocol.Internal {
    INSTANCE
  }

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
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      for (int s = 0; s < plan.ranges().size(); s++) {
        var range = plan.ranges().get(s);
        plan.hosts().get(s).tell(new ShardHostProtocol.HostShard(plan.jobId(), s, range.offset(), range.length(),
            plan.optimizer(), plan.pieceFloats(), coordinator, context.getSelf(), plan.initial().precision(), plan.rules(),
            plan.generation(), plan.mode()));
      }
      timers.startSingleTimer(TimedOut.INSTANCE, timeout);
      ShardAddress[] placed = new ShardAddress[plan.ranges().size()];
      int[] waiting = {placed.length};
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(ShardHosted.class, hosted -> {
            if (!hosted.jobId().equals(plan.jobId()) || placed[hosted.shard()] != null) {
              return Behaviors.same();
            }
            var range = plan.ranges().get(hosted.shard());
            placed[hosted.shard()] = new ShardAddress(hosted.shardRef(), range.offset(), range.length());
            load(hosted.shardRef(), range, plan);
            if (--waiting[0] > 0) {
              return Behaviors.same();
            }
            replyTo.tell(new Placed(Arrays.asList(placed)));
            return Behaviors.stopped();
          })
          .onMessage(TimedOut.class, t -> {
            replyTo.tell(new NotPlaced(waiting[0] + " shard host(s) did not answer within " + timeout.toSeconds() + " s"));
            return Behaviors.stopped();
          })
          .build();
    }));
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
