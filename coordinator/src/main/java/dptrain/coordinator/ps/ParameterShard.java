package dptrain.coordinator.ps;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.coordinator.optim.Optimizers;
import dptrain.protocol.ShardProtocol.Command;
import dptrain.protocol.ShardProtocol.GetParameters;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.ShardProtocol.LoadParameters;
import dptrain.protocol.ShardProtocol.StartShard;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.FloatChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One parameter-server shard: owns the range [offset, offset + length) of the flat parameter
 * vector and the optimizer state for it, cut into the same chunk-sized pieces the workers push.
 * Synchronous: the first chunk of step t opens the step with the number of micro-batches it
 * names (every later chunk must agree); a piece is applied when every micro-batch's gradient for it has arrived,
 * and sent (as version t + 1) to every worker at once; when all pieces are applied the shard
 * tells the Coordinator {@code StepDone}. Chunks for another step, or that do not fit, are
 * refused, logged with their sender and counted, never applied.
 */
public final class ParameterShard extends AbstractBehavior<Command> {

  private final int index;
  private final long offset;
  private final long length;
  private final int pieceFloats;
  private final List<ShardPiece> pieces = new ArrayList<>();
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>();
  private int[] samples = new int[0];
  private double[] losses = new double[0];
  private int piecesApplied;
  private long version;
  private long refused;
  private long loaded;

  /**
   * A shard for [offset, offset + length), cut into pieces of {@code pieceFloats}; its values
   * arrive as {@link LoadParameters} before {@link StartShard}.
   */
  public static Behavior<Command> create(int index, long offset, long length, OptimizerSpec optimizer,
      ActorRef<CoordinatorProtocol.Command> coordinator, int pieceFloats) {
    return Behaviors.setup(context -> new ParameterShard(context, index, offset, length, optimizer, coordinator, pieceFloats));
  }

  private ParameterShard(ActorContext<Command> context, int index, long offset, long length,
      OptimizerSpec optimizer, ActorRef<CoordinatorProtocol.Command> coordinator, int pieceFloats) {
    super(context);
    this.index = index;
    this.offset = offset;
    this.length = length;
    this.pieceFloats = pieceFloats;
    this.coordinator = coordinator;
    for (Chunking.Piece piece : Chunking.split(offset, length, pieceFloats)) {
      pieces.add(new ShardPiece(piece.offset(), piece.length(), Optimizers.create(optimizer, piece.length())));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LoadParameters.class, this::onLoadParameters)
        .onMessage(StartShard.class, this::onStart)
        .onMessage(GradientChunk.class, this::onGradientChunk)
        .onMessage(GetParameters.class, this::onGetParameters)
        .build();
  }

  private Behavior<Command> onLoadParameters(LoadParameters load) {
    ShardPiece piece = pieceAt(load.chunk());
    if (piece == null) {
      getContext().getLog().error("shard {} refused initial values for [{}, {}): not one of its pieces",
          index, load.chunk().offset(), load.chunk().end());
      return this;
    }
    if (piece.load(load.chunk())) {
      loaded += piece.length();
    }
    return this;
  }

  private Behavior<Command> onStart(StartShard start) {
    if (loaded != length) {
      // The Coordinator's step timeout turns this into a failed job with a clear reason.
      getContext().getLog().error("shard {} cannot start: {} of {} initial values loaded", index, loaded, length);
      return this;
    }
    workers.clear();
    workers.addAll(start.workers());
    pieces.forEach(piece -> send(version, piece.current()));
    return this;
  }

  private Behavior<Command> onGradientChunk(GradientChunk chunk) {
    if (chunk.step() != version) {
      return refuse(chunk, "is for step " + chunk.step() + " but this shard is at step " + version);
    }
    if (samples.length == 0 && chunk.microBatches() > 0) {
      beginStep(chunk.microBatches());
    }
    int microBatches = samples.length;
    if (chunk.microBatches() != microBatches || chunk.microBatch() < 0 || chunk.microBatch() >= microBatches) {
      return refuse(chunk, "names micro-batch " + chunk.microBatch() + " of " + chunk.microBatches()
          + " but the step has " + microBatches);
    }
    if (chunk.sampleCount() < 0) {
      return refuse(chunk, "counts " + chunk.sampleCount() + " samples");
    }
    ShardPiece piece = pieceAt(chunk.chunk());
    if (piece == null) {
      return refuse(chunk, "covers [" + chunk.chunk().offset() + ", " + chunk.chunk().end()
          + "), which is not one of this shard's pieces of " + pieceFloats + " in [" + offset + ", " + (offset + length) + ")");
    }
    samples[chunk.microBatch()] = chunk.sampleCount();
    losses[chunk.microBatch()] = chunk.lossSum();
    if (piece.accept(chunk.microBatch(), chunk.chunk())) {
      send(version + 1, piece.apply(Arrays.stream(samples).sum()));
      if (++piecesApplied == pieces.size()) {
        finishStep();
      }
    }
    return this;
  }

  private Behavior<Command> onGetParameters(GetParameters get) {
    for (ShardPiece piece : pieces) {
      get.replyTo().tell(new CoordinatorProtocol.ShardParametersChunk(index, version, piece.current(), refused));
    }
    return this;
  }

  private ShardPiece pieceAt(FloatChunk chunk) {
    long relative = chunk.offset() - offset;
    if (relative < 0 || relative % pieceFloats != 0 || relative / pieceFloats >= pieces.size()) {
      return null;
    }
    ShardPiece piece = pieces.get((int) (relative / pieceFloats));
    return piece.length() == chunk.length() ? piece : null;
  }

  private Behavior<Command> refuse(GradientChunk chunk, String why) {
    refused++;
    getContext().getLog().warn("shard {} refused a gradient chunk from {}: it {} (refused so far: {})",
        index, chunk.sender().path(), why, refused);
    return this;
  }

  private void beginStep(int microBatches) {
    samples = new int[microBatches];
    losses = new double[microBatches];
    piecesApplied = 0;
    pieces.forEach(piece -> piece.reset(microBatches));
  }

  private void finishStep() {
    var done = new CoordinatorProtocol.StepDone(index, version, Arrays.stream(samples).sum(),
        Arrays.stream(losses).sum());
    version++;
    samples = new int[0];
    coordinator.tell(done);
  }

  private void send(long parameterVersion, FloatChunk values) {
    var message = new WorkerProtocol.ParametersChunk(parameterVersion, values);
    for (ActorRef<WorkerProtocol.Command> worker : workers) {
      worker.tell(message);
    }
  }
}
