package dptrain.protocol;

import dptrain.protocol.job.KMeansMove;
import dptrain.protocol.job.BatchNormPhase;
import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.ActorRef;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import java.util.List;

/** What a worker understands. The wire messages live here so the serializer can know them. */
public final class WorkerProtocol {
  private WorkerProtocol() {}

  /** Every message a worker receives: closed, so no other class can make one up. */
  public sealed interface Command permits Configure, Compute, ParametersChunk, DirectionChunk, Evaluate, KMeans, MomentsTotal, StopWork {}

  /** Load the data and build the model for a job; answer {@link CoordinatorProtocol.WorkerReady}. */
  public record Configure(
      String jobId,
      ModelSpec model,
      DataSpec data,
      List<ShardAddress> shards,
      ActorRef<CoordinatorProtocol.Command> coordinator,
      int evalBatch,
      int maxChunkFloats,
      Precision precision,
      int generation,
      ConsistencyMode mode,
      String compression)
      implements Command, WireMessage {
    public Configure {
      shards = List.copyOf(shards);
    }

    public Configure(String jobId, ModelSpec model, DataSpec data, List<ShardAddress> shards,
        ActorRef<CoordinatorProtocol.Command> coordinator, int evalBatch, int maxChunkFloats, Precision precision) {
      this(jobId, model, data, shards, coordinator, evalBatch, maxChunkFloats, precision, 0, ConsistencyMode.SYNC, "none");
    }

    /** Whether workers compute on whatever parameters they hold (async, ssp) rather than on the step's version. */
    public boolean asynchronous() {
      return mode.asynchronous();
    }
  }

  /**
   * Compute the summed gradient of micro-batch {@code microBatch} (of {@code microBatches}) of
   * step {@code step}, at parameters of version {@code step}, over these training-set rows.
   * With {@code groupSizes}, the rows fall into that many consecutive groups: the gradient of
   * each is computed alone and the groups are summed pairwise, so that the result does not
   * depend on how many workers share the step (an empty array means one group). {@code lr} is
   * the step's learning rate, which the worker passes on to the shards with the gradient.
   */
  public record Compute(long step, int microBatch, int microBatches, int[] indices, int[] groupSizes, double lr,
      boolean hessianVector) implements Command, WireMessage {
    public Compute(long step, int microBatch, int microBatches, int[] indices, double lr) {
      this(step, microBatch, microBatches, indices, new int[0], lr);
    }

    public Compute(long step, int microBatch, int microBatches, int[] indices, int[] groupSizes, double lr) {
      this(step, microBatch, microBatches, indices, groupSizes, lr, false);
    }

    /**
     * Newton's method: push H v over these rows instead of the gradient, at the parameters of
     * version {@code step} along the {@link DirectionChunk}s of that version.
     */
    public static Compute hessianVector(long step, int microBatch, int microBatches, int[] indices) {
      return new Compute(step, microBatch, microBatches, indices, new int[0], 0.0, true);
    }
  }

  /** A range of the direction v of version {@code version} that Hessian-vector products are taken along. */
  public record DirectionChunk(long version, TensorChunk chunk) implements Command, WireMessage {}

  /** A range of the parameters of version {@code version} (the state after {@code version} steps). */
  public record ParametersChunk(long version, TensorChunk chunk, int generation) implements Command, WireMessage {
    public ParametersChunk(long version, TensorChunk chunk) {
      this(version, chunk, 0);
    }
  }

  /** Evaluate parameters of version {@code version} on rows [from, to) of the test set, or of the validation set. */
  public record Evaluate(long version, int from, int to, ActorRef<CoordinatorProtocol.Command> replyTo, boolean validation)
      implements Command, WireMessage {

    /** On test rows. */
    public Evaluate(long version, int from, int to, ActorRef<CoordinatorProtocol.Command> replyTo) {
      this(version, from, to, replyTo, false);
    }
  }

  /**
   * One data-parallel k-means move over the training rows [from, to) and the first layer's
   * input, with the {@code k} centres so far ({@code centres}, row-major k x width):
   * <ul>
   *   <li>{@code d2}: report the sum over the rows of D^2, the squared distance to the nearest
   *       centre (1 per row when there is none yet), for k-means++ seeding;
   *   <li>{@code pick}: report the first row at which the running sum of D^2 exceeds {@code target};
   *   <li>{@code assign}: report, per centre, the sum, count and squared distances of its nearest rows (a Lloyd step).
   * </ul>
   */
  public record KMeans(long round, KMeansMove kind, int from, int to, double[] centres, int k, double target,
      ActorRef<CoordinatorProtocol.Command> replyTo) implements Command, WireMessage {}

  /** Synchronised batch norm: the sums of every micro-batch of the step, for one layer and phase. */
  public record MomentsTotal(long step, int layer, BatchNormPhase phase, double[] sums) implements Command, WireMessage {}

  /** The job is over: release what the job holds. */
  public enum StopWork implements Command, WireMessage {
    INSTANCE
  }
}
