package dptrain.protocol;

import akka.actor.typed.ActorRef;
import dptrain.protocol.tensor.FloatChunk;

/** What the Coordinator understands from workers and shards. */
public final class CoordinatorProtocol {
  private CoordinatorProtocol() {}

  public sealed interface Command
      permits WorkerReady, Evaluated, WorkerFailed, StepDone, ShardHosted, ShardParametersChunk, Internal {}

  /** The Coordinator's private messages (receptionist listings, timeouts, round results). */
  public non-sealed interface Internal extends Command {}

  /** A worker loaded the job's data: it sees this many training and test rows. */
  public record WorkerReady(ActorRef<WorkerProtocol.Command> worker, int trainSize, int testSize)
      implements Command, WireMessage {}

  /** The summed test loss and the count of correct predictions over {@code count} rows. */
  public record Evaluated(
      ActorRef<WorkerProtocol.Command> worker, long version, double lossSum, long correct, long count)
      implements Command, WireMessage {}

  /** A worker cannot take part in the job (for example its data is missing); the reason says why. */
  public record WorkerFailed(ActorRef<WorkerProtocol.Command> worker, String reason)
      implements Command, WireMessage {}

  /** Shard {@code shard} applied step {@code step}, aggregated from this many samples. */
  public record StepDone(int shard, long step, int sampleCount, double lossSum)
      implements Command, WireMessage {}

  /** A host started shard {@code shard} of job {@code jobId}. */
  public record ShardHosted(String jobId, int shard, ActorRef<ShardProtocol.Command> shardRef)
      implements Command, WireMessage {}

  /** One piece of shard {@code shard}'s parameters at version {@code version}, and how many chunks it refused. */
  public record ShardParametersChunk(int shard, long version, FloatChunk chunk, long refused)
      implements Command, WireMessage {}
}
