package dptrain.protocol;

import akka.actor.typed.ActorRef;
import dptrain.protocol.tensor.FloatChunk;

/** What a parameter-server shard understands from other nodes. */
public final class ShardProtocol {
  private ShardProtocol() {}

  public sealed interface Command permits GradientChunk, Internal {}

  /** A shard's node-local messages (set-up, queries, ticks). */
  public non-sealed interface Internal extends Command {}

  /**
   * One range of the summed gradient of micro-batch {@code microBatch} of step {@code step}:
   * the sum over {@code sampleCount} samples, with their summed loss. Re-sending the same
   * range is harmless: each (step, micro-batch, range) counts once.
   */
  public record GradientChunk(
      long step,
      int microBatch,
      int microBatches,
      int sampleCount,
      double lossSum,
      FloatChunk chunk,
      ActorRef<WorkerProtocol.Command> sender)
      implements Command, WireMessage {}
}
