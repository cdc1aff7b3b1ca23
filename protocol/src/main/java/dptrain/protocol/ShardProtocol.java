package dptrain.protocol;

import akka.actor.typed.ActorRef;
import dptrain.protocol.tensor.TensorChunk;
import java.util.List;

/** What a parameter-server shard understands. Shards may run on any node with the ps role. */
public final class ShardProtocol {
  private ShardProtocol() {}

  /** Every message a shard receives: closed, so no other class can make one up. */
  public sealed interface Command permits GradientChunk, StartShard, LoadParameters, GetParameters, ScaleGradient, SetWorkers, CloseStep, ReportStep {}

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
      boolean finite,
      long baseVersion,
      dptrain.protocol.tensor.EncodedChunk encoded,
      long computeNanos,
      long encodeNanos,
      long rowsDigest)
      implements Command, WireMessage {

    public GradientChunk(long step, int microBatch, int microBatches, int sampleCount, double lossSum, TensorChunk chunk,
        ActorRef<WorkerProtocol.Command> sender, double lr, boolean finite, long baseVersion,
        dptrain.protocol.tensor.EncodedChunk encoded, long computeNanos, long encodeNanos) {
      this(step, microBatch, microBatches, sampleCount, lossSum, chunk, sender, lr, finite, baseVersion, encoded, computeNanos,
          encodeNanos, 0);
    }

    public GradientChunk(long step, int microBatch, int microBatches, int sampleCount, double lossSum, TensorChunk chunk,
        ActorRef<WorkerProtocol.Command> sender, double lr, boolean finite, long baseVersion,
        dptrain.protocol.tensor.EncodedChunk encoded) {
      this(step, microBatch, microBatches, sampleCount, lossSum, chunk, sender, lr, finite, baseVersion, encoded, 0, 0);
    }

    public GradientChunk(long step, int microBatch, int microBatches, int sampleCount, double lossSum, TensorChunk chunk,
        ActorRef<WorkerProtocol.Command> sender, double lr, boolean finite) {
      this(step, microBatch, microBatches, sampleCount, lossSum, chunk, sender, lr, finite, 0, null);
    }

    public GradientChunk(long step, int microBatch, int microBatches, int sampleCount, double lossSum, TensorChunk chunk,
        ActorRef<WorkerProtocol.Command> sender, double lr, boolean finite, long baseVersion) {
      this(step, microBatch, microBatches, sampleCount, lossSum, chunk, sender, lr, finite, baseVersion, null);
    }

    /** Payload bytes on the wire: the dense values, or the compressed ones. */
    public int wireBytes() {
      return encoded != null ? encoded.bytes() : chunk.data().size();
    }

    /** This chunk with its compressed values decoded into a dense range of {@code precision}. */
    public GradientChunk decoded(dptrain.protocol.tensor.Precision precision) {
      return encoded == null ? this : new GradientChunk(step, microBatch, microBatches, sampleCount, lossSum,
          encoded.decode(precision), sender, lr, finite, baseVersion, null, computeNanos, encodeNanos, rowsDigest);
    }
  }

  /**
   * Begin at step {@code version} (0, or a checkpoint's step): send the parameters to these
   * workers, then take gradients.
   */
  public record StartShard(List<ActorRef<WorkerProtocol.Command>> workers, long version) implements Command, WireMessage {
    public StartShard {
      workers = List.copyOf(workers);
    }

    public StartShard(List<ActorRef<WorkerProtocol.Command>> workers) {
      this(workers, 0);
    }
  }

  /**
   * Values for a range of the shard's parameters (slot 0) or, when a job resumes from a
   * checkpoint, of its optimizer's state array {@code slot - 1}, with the piece's optimizer
   * {@code counters} on slot 0. Every value is loaded once before the start.
   */
  public record LoadParameters(TensorChunk chunk, int slot, double[] counters) implements Command, WireMessage {
    public LoadParameters(TensorChunk chunk) {
      this(chunk, 0, new double[0]);
    }
  }

  /**
   * The workers to send parameters to from now on (a worker left or joined, between steps);
   * each new one gets the shard's current values at once.
   */
  public record SetWorkers(List<ActorRef<WorkerProtocol.Command>> workers, boolean publish) implements Command, WireMessage {
    public SetWorkers {
      workers = List.copyOf(workers);
    }

    public SetWorkers(List<ActorRef<WorkerProtocol.Command>> workers) {
      this(workers, false);
    }
  }

  /**
   * Backup workers (Chen et al. 2016): step {@code step}, of {@code microBatches} micro-batches,
   * closes with the {@code included} ones; the others are dropped wherever they are.
   */
  public record CloseStep(long step, int microBatches, int[] included) implements Command, WireMessage {}

  /**
   * Step {@code step} (a ticket, in the async modes) went silent and the Coordinator has not heard
   * this shard's StepDone for it: the shard repeats the report if it finished the step (Artery
   * delivers at most once, and a lost report would otherwise hold the job until its step
   * timeout). A synchronous shard still at that step with nothing of it applied publishes its
   * values for the step again instead, since a worker that lost one of them cannot compute.
   */
  public record ReportStep(long step) implements Command, WireMessage {}

  /** Clipping by global norm: scale step {@code step}'s gradient by {@code factor}, then apply it. */
  public record ScaleGradient(long step, double factor) implements Command, WireMessage {}

  /**
   * Send the current parameters to {@code replyTo}, one {@code ShardParametersChunk} per piece;
   * {@code withState}: also every optimizer state array (slots 1..) and counter, for a checkpoint.
   */
  public record GetParameters(ActorRef<CoordinatorProtocol.Command> replyTo, boolean withState)
      implements Command, WireMessage {
    public GetParameters(ActorRef<CoordinatorProtocol.Command> replyTo) {
      this(replyTo, false);
    }
  }
}
