package dptrain.coordinator.ps;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dptrain.coordinator.optim.Optimizer;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol.Command;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.ShardProtocol.Internal;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.FloatChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One parameter-server shard: owns the range [offset, offset + length) of the flat parameter
 * vector and the optimizer state for it. Synchronous: it applies step t when every
 * micro-batch's gradient for its range has arrived, then sends the new range (version t + 1)
 * to every worker and {@code StepDone} to the Coordinator. Chunks for another step, or that
 * do not fit the round, are refused, logged with their sender and counted, never applied.
 */
public final class ParameterShard extends AbstractBehavior<Command> {

  /** Begin the job: send version 0 to these workers, then take gradients. */
  public record Start(List<ActorRef<WorkerProtocol.Command>> workers) implements Internal {}

  /** Expect step {@code step} to have {@code microBatches} micro-batches. */
  public record ExpectStep(long step, int microBatches) implements Internal {}

  /** Reply with a copy of this shard's parameters. */
  public record GetParameters(ActorRef<ShardParameters> replyTo) implements Internal {}

  /** A copy of shard {@code shard}'s range at version {@code version}, and how many chunks it refused. */
  public record ShardParameters(int shard, long offset, long version, float[] values, long refused) {}

  private final int index;
  private final long offset;
  private final long length;
  private final INDArray parameters;
  private final INDArray gradient;
  private final Optimizer optimizer;
  private final ActorRef<CoordinatorProtocol.Command> coordinator;
  private final int maxChunkFloats;
  private final GradientRound round;
  private final List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>();
  private final Map<Long, Integer> expected = new HashMap<>();
  private long version;
  private long refused;

  public static Behavior<Command> create(int index, long offset, float[] initial, Optimizer optimizer,
      ActorRef<CoordinatorProtocol.Command> coordinator, int maxChunkFloats) {
    return Behaviors.setup(context -> new ParameterShard(context, index, offset, initial, optimizer, coordinator, maxChunkFloats));
  }

  private ParameterShard(ActorContext<Command> context, int index, long offset, float[] initial,
      Optimizer optimizer, ActorRef<CoordinatorProtocol.Command> coordinator, int maxChunkFloats) {
    super(context);
    this.index = index;
    this.offset = offset;
    this.length = initial.length;
    this.parameters = Nd4j.createFromArray(initial).castTo(DataType.FLOAT);
    this.gradient = Nd4j.zeros(DataType.FLOAT, length);
    this.optimizer = optimizer;
    this.coordinator = coordinator;
    this.maxChunkFloats = maxChunkFloats;
    this.round = new GradientRound(offset, length);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, this::onStart)
        .onMessage(ExpectStep.class, this::onExpectStep)
        .onMessage(GradientChunk.class, this::onGradientChunk)
        .onMessage(GetParameters.class, this::onGetParameters)
        .build();
  }

  private Behavior<Command> onStart(Start start) {
    workers.clear();
    workers.addAll(start.workers());
    publish();
    return this;
  }

  private Behavior<Command> onExpectStep(ExpectStep expect) {
    expected.put(expect.step(), expect.microBatches());
    if (expect.step() == version) {
      round.reset(expect.microBatches());
    }
    return this;
  }

  private Behavior<Command> onGradientChunk(GradientChunk chunk) {
    if (chunk.step() != version || !expected.containsKey(version)) {
      return refuse(chunk, "is for step " + chunk.step() + " but this shard is at step " + version);
    }
    String refusal = round.refusal(chunk);
    if (refusal != null) {
      return refuse(chunk, refusal);
    }
    if (round.accept(chunk)) {
      applyStep();
    }
    return this;
  }

  private Behavior<Command> onGetParameters(GetParameters get) {
    float[] values = new float[(int) length];
    parameters.data().asNioFloat().get(0, values);
    get.replyTo().tell(new ShardParameters(index, offset, version, values, refused));
    return this;
  }

  private Behavior<Command> refuse(GradientChunk chunk, String why) {
    refused++;
    getContext().getLog().warn("shard {} refused a gradient chunk from {}: it {} (refused so far: {})",
        index, chunk.sender().path(), why, refused);
    return this;
  }

  private void applyStep() {
    round.meanInto(gradient);
    optimizer.step(parameters, gradient);
    var done = new CoordinatorProtocol.StepDone(index, version, round.sampleCount(), round.lossSum());
    long step = version;
    version++;
    expected.remove(step);
    Integer next = expected.get(version);
    if (next != null) {
      round.reset(next);
    }
    publish();
    coordinator.tell(done);
  }

  private void publish() {
    ByteBuffer values = parameters.data().asNio();
    for (Chunking.Piece piece : Chunking.split(offset, length, maxChunkFloats)) {
      var message = new WorkerProtocol.ParametersChunk(version,
          FloatChunk.copyOf(piece.offset(), values, (int) (piece.offset() - offset), piece.length()));
      for (ActorRef<WorkerProtocol.Command> worker : workers) {
        worker.tell(message);
      }
    }
  }
}
