package dptrain.protocol;

import akka.actor.typed.ActorRef;
import dptrain.protocol.tensor.TensorChunk;
import java.util.List;

/** What a parameter-server shard understands. Shards may run on any node with the ps role. */
public final class ShardProtocol {
  private ShardProtocol() {}

  public sealed interface Command permits GradientChunk, StartShard, LoadParameters, GetParameters, ScaleGradient, Internal {}

  /** A shard's private messages. */
  public non-sealed interface Internal extends Command {}

  /**
   * One range of the summed gradient of micro-batch {@code microBatch} of step {@code step}:
   * the sum over {@code sampleCount} samples, with their summed loss, to be applied with
   * learning rate {@code lr}. {@code finite} is false when the micro-batch's whole gradient holds
   * a NaN or an infinity: then every shard skips the step. Re-sending the same range is
   * harmless: each (step, micro-batch, range) counts once.
   */
  public record GradientChunk(
      long step,
      int microBatch,
      int microBatches,
      int sampleCount,
      double lossSum,
      TensorChunk chunk,
      ActorRef<WorkerProtocol.Command> sender,
      double lr,
      boolean finite)
      implements Command, WireMessage {}

  /** Begin: send the parameters (version 0) to these workers, then take gradients. */
  public record StartShard(List<ActorRef<WorkerProtocol.Command>> workers) implements Command, WireMessage {
    public StartShard {
      workers = List.copyOf(workers);
    }
  }

  /** Initial values for a range of the shard's parameters; every value is loaded once before the start. */
  public record LoadParameters(TensorChunk chunk) implements Command, WireMessage {}

  /** Clipping by global norm: scale step {@code step}'s gradient by {@code factor}, then apply it. */
  public record ScaleGradient(long step, double factor) implements Command, WireMessage {}

  /** Send the current parameters to {@code replyTo}, one {@code ShardParametersChunk} per piece. */
  public record GetParameters(ActorRef<CoordinatorProtocol.Command> replyTo) implements Command, WireMessage {}
}
