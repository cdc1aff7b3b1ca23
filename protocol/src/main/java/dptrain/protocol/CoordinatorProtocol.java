package dptrain.protocol;

import akka.actor.typed.ActorRef;
import dptrain.protocol.job.BatchNormPhase;
import dptrain.protocol.tensor.TensorChunk;
import java.util.List;

/** What the Coordinator understands from workers and shards. */
public final class CoordinatorProtocol {
  private CoordinatorProtocol() {}

  public sealed interface Command
      permits WorkerReady, Evaluated, WorkerFailed, StepDone, ChunkRefused, MicroBatchPushed, GradientSquares, GradientPiece, ShardHosted, ShardParametersChunk,
          KMeansReport, BatchMoments, Internal {}

  /** A worker's answer to a {@link WorkerProtocol.KMeans} move: what the kind asks for, the rest empty. */
  public record KMeansReport(ActorRef<WorkerProtocol.Command> worker, long round, double d2Sum, double[] picked,
      double[] sums, long[] counts, double[] squares) implements Command, WireMessage {}

  /**
   * Synchronised batch norm: micro-batch {@code microBatch} of {@code microBatches}'s sums for
   * batch-norm layer {@code layer} in the forward (sum z, sum z^2, rows) or backward pass (sum
   * dy, sum dy x-hat); answered with the {@link WorkerProtocol.MomentsTotal}
   * once every micro-batch has sent its own.
   */
  public record BatchMoments(long step, int layer, BatchNormPhase phase, int microBatch, int microBatches, double[] sums,
      ActorRef<WorkerProtocol.MomentsTotal> replyTo) implements Command, WireMessage {}

  /**
   * The marker of the control plane's own messages (adapted child reports, timers): each is a
   * private record or enum of the actor that receives it, so no other class can make one.
   * Non-sealed because Java lets a sealed type permit only classes of its own package here, and
   * those actors live in the coordinator module. Never on the wire: the serializer refuses
   * anything that is not a {@link WireMessage}.
   */
  public non-sealed interface Internal extends Command {}

  /**
   * A worker loaded the data of the job's {@code generation}: it sees this many training, test
   * and validation rows. A reply to an earlier generation's Configure says nothing of the
   * current one (the worker may not have taken the current Configure yet).
   */
  public record WorkerReady(ActorRef<WorkerProtocol.Command> worker, int generation, int trainSize, int testSize,
      int validationSize) implements Command, WireMessage {

    /** Without a validation set. */
    public WorkerReady(ActorRef<WorkerProtocol.Command> worker, int generation, int trainSize, int testSize) {
      this(worker, generation, trainSize, testSize, 0);
    }
  }

  /** The summed test loss and the count of correct predictions over {@code count} rows. */
  public record Evaluated(
      ActorRef<WorkerProtocol.Command> worker, long version, double lossSum, long correct, long count)
      implements Command, WireMessage {}

  /** A worker cannot take part in the job (for example its data is missing); the reason says why. */
  public record WorkerFailed(ActorRef<WorkerProtocol.Command> worker, String reason)
      implements Command, WireMessage {}

  /**
   * Shard {@code shard} finished step {@code step}, aggregated from this many samples; when
   * {@code skipped}, the step's gradient held NaN or Inf and nothing was applied.
   * {@code microBatchNanos}: in the synchronous modes, the compute and encode time the shard saw
   * for each micro-batch it counted, by index (0 for one it did not count; empty otherwise).
   * {@code rowsDigest}: the {@link RowsDigest} of every row the shard applied in the step.
   * {@code microBatchArrivals}: in the synchronous modes, when each counted micro-batch's last
   * chunk arrived, in ns after the step's first chunk at this shard (0 for one it did not count).
   */
  public record StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation,
      long staleness, long bytes, StepTimes times, List<Long> microBatchNanos, long rowsDigest, List<Long> microBatchArrivals)
      implements Command, WireMessage {
    public StepDone {
      microBatchNanos = List.copyOf(microBatchNanos);
      microBatchArrivals = List.copyOf(microBatchArrivals);
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation, long staleness,
        long bytes, StepTimes times, List<Long> microBatchNanos, long rowsDigest) {
      this(shard, step, sampleCount, lossSum, skipped, generation, staleness, bytes, times, microBatchNanos, rowsDigest, List.of());
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation, long staleness,
        long bytes, StepTimes times) {
      this(shard, step, sampleCount, lossSum, skipped, generation, staleness, bytes, times, List.of(), 0);
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation, long staleness,
        long bytes) {
      this(shard, step, sampleCount, lossSum, skipped, generation, staleness, bytes, StepTimes.NONE);
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped) {
      this(shard, step, sampleCount, lossSum, skipped, 0, 0, 0);
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation) {
      this(shard, step, sampleCount, lossSum, skipped, generation, 0, 0);
    }

    public StepDone(int shard, long step, int sampleCount, double lossSum, boolean skipped, int generation, long staleness) {
      this(shard, step, sampleCount, lossSum, skipped, generation, staleness, 0);
    }
  }

  /**
   * Full-batch methods: one piece of the mean gradient of step {@code step} (an evaluation at a
   * point the Coordinator chose), reduced by shard {@code shard} and not applied.
   */
  public record GradientPiece(int shard, long step, TensorChunk chunk) implements Command, WireMessage {}

  /**
   * Shard {@code shard} refused a gradient chunk of micro-batch {@code microBatch} of the step
   * it is at (NaN or Inf under a finite flag, a wrong length, a wrong step or count) from
   * {@code sender}: the micro-batch has to be computed again, or the step never completes.
   */
  public record ChunkRefused(int shard, long step, int microBatch, ActorRef<WorkerProtocol.Command> sender, String reason,
      int generation) implements Command, WireMessage {}

  /** Backup workers: {@code worker} has pushed every chunk of micro-batch {@code microBatch} of step {@code step}. */
  public record MicroBatchPushed(long step, int microBatch, ActorRef<WorkerProtocol.Command> worker)
      implements Command, WireMessage {}

  /** Clipping by global norm: the sum of squares of shard {@code shard}'s part of step {@code step}'s gradient. */
  public record GradientSquares(int shard, long step, double sumSquares) implements Command, WireMessage {}

  /** A host started shard {@code shard} of job {@code jobId}. */
  public record ShardHosted(String jobId, int shard, ActorRef<ShardProtocol.Command> shardRef)
      implements Command, WireMessage {}

  /**
   * One piece of shard {@code shard}'s parameters (slot 0) or optimizer state array
   * {@code slot - 1} at version {@code version}, and how many chunks it refused; slot 0 carries
   * the piece's optimizer counters when state was asked for.
   */
  public record ShardParametersChunk(int shard, long version, TensorChunk chunk, long refused, int slot, double[] counters)
      implements Command, WireMessage {
    public ShardParametersChunk(int shard, long version, TensorChunk chunk, long refused) {
      this(shard, version, chunk, refused, 0, new double[0]);
    }
  }
}
