package dptrain.protocol;

import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.ActorRef;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.Precision;

/** What a shard host understands: the actor on every ps node that starts shards there. */
public final class ShardHostProtocol {
  private ShardHostProtocol() {}

  /** Every message a shard host receives: closed, so no other class can make one up. */
  public sealed interface Command permits HostShard {}

  /**
   * Start shard {@code shard} of job {@code jobId} for the range [offset, offset + length), with
   * this optimizer and these gradient rules, at this precision, cut into pieces of {@code pieceFloats}; it reports steps to
   * {@code coordinator}. The host answers {@link CoordinatorProtocol.ShardHosted} to {@code replyTo}.
   */
  public record HostShard(
      String jobId,
      int shard,
      long offset,
      long length,
      OptimizerSpec optimizer,
      int pieceFloats,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      ActorRef<CoordinatorProtocol.Command> replyTo,
      Precision precision,
      GradientRules rules,
      int generation,
      ConsistencyMode mode)
      implements Command, WireMessage {

    public HostShard(String jobId, int shard, long offset, long length, OptimizerSpec optimizer, int pieceFloats,
        ActorRef<CoordinatorProtocol.Command> coordinator, ActorRef<CoordinatorProtocol.Command> replyTo,
        Precision precision, GradientRules rules) {
      this(jobId, shard, offset, length, optimizer, pieceFloats, coordinator, replyTo, precision, rules, 0, ConsistencyMode.SYNC);
    }
  }
}
