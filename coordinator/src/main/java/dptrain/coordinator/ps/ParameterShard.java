package dptrain.coordinator.ps;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol.HostShard;
import dptrain.protocol.ShardProtocol.Command;
import dptrain.protocol.ShardProtocol.GetParameters;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.ShardProtocol.LoadParameters;
import dptrain.protocol.ShardProtocol.ScaleGradient;
import dptrain.protocol.ShardProtocol.StartShard;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.TensorChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One parameter-server shard: owns the range [offset, offset + length) of the flat parameter
 * vector and the optimizer state for it, cut into the same chunk-sized pieces the workers push.
 * Synchronous: the first chunk of step t opens the step with the number of micro-batches and
 * the learning rate it names (every later chunk must agree). A piece is complete when every
 * micro-batch's gradient for it has arrived; it is then reduced, updated and sent (as version
 * t + 1) to every worker at once. With clipping by global norm, the shard first reduces every
 * piece, reports its sum of squares to the Coordinator and applies the step when the
 * Coordinator answers with the scale. A step whose gradient holds NaN or Inf (a worker says so
 * in its chunks, so every shard knows) is skipped: the parameters are sent back unchanged.
 * For the full-batch methods (lbfgs, cg) the shard only reduces: it sends each piece of the
 * mean gradient to the Coordinator, which runs the method and sends the workers the next point.
 * Chunks for another step, or that do not fit, are refused, logged with their sender and
 * counted, never applied.
 */
public final class ParameterShard extends AbstractBehavior<Command> {

  private final HostShard spec;
  private final List<ShardPiece> pieces = new ArrayList<>();
  private final List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>();
  private int[] samples = new int[0];
  private double[] losses = new double[0];
  private double stepLr;
  private boolean stepFinite;
  private double stepSquares;
  private int piecesComplete;
  private long version;
  private long refused;
  private long loaded;
  /** Backup workers: the Coordinator's closing of the current step (it may come before the step's first chunk). */
  private ShardProtocol.CloseStep closing;
  /** Backup workers: micro-batch chunks that arrived after their step closed without them. */
  private long dropped;
  /** Gradient payload bytes received since the last step finished (the wire cost of a step). */
  private long stepBytes;
  /** Async modes: each piece's version (the micro-batches it has taken) and the tickets it took. */
  private long[] pieceVersions;
  private final List<java.util.Set<Long>> pieceTickets = new ArrayList<>();
  /** Async modes: micro-batches (tickets) some but not all of whose pieces are in. */
  private final java.util.Map<Long, Ticket> tickets = new java.util.HashMap<>();

  /** An async micro-batch's progress at this shard. */
  private static final class Ticket {
    int pieces;
    int samples;
    double loss;
    boolean skipped;
    long staleness;
    long bytes;
  }

  /** A shard as {@code spec} describes it; its values arrive as {@link LoadParameters} before {@link StartShard}. */
  public static Behavior<Command> create(HostShard spec) {
    return Behaviors.setup(context -> new ParameterShard(context, spec));
  }

  private ParameterShard(ActorContext<Command> context, HostShard spec) {
    super(context);
    this.spec = spec;
    for (Chunking.Piece piece : Chunking.split(spec.offset(), spec.length(), spec.pieceFloats())) {
      pieces.add(new ShardPiece(piece.offset(), piece.length(), spec.precision(), spec.optimizer(), spec.rules()));
      pieceTickets.add(new java.util.HashSet<>());
    }
    pieceVersions = new long[pieces.size()];
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LoadParameters.class, this::onLoadParameters)
        .onMessage(StartShard.class, this::onStart)
        .onMessage(GradientChunk.class, this::onGradientChunk)
        .onMessage(ScaleGradient.class, this::onScaleGradient)
        .onMessage(GetParameters.class, this::onGetParameters)
        .onMessage(ShardProtocol.SetWorkers.class, this::onSetWorkers)
        .onMessage(ShardProtocol.CloseStep.class, this::onCloseStep)
        .build();
  }

  private Behavior<Command> onLoadParameters(LoadParameters load) {
    ShardPiece piece = pieceAt(load.chunk());
    if (piece == null) {
      getContext().getLog().error("shard {} refused initial values for [{}, {}): not one of its {} pieces",
          spec.shard(), load.chunk().offset(), load.chunk().end(), spec.precision().cliName());
      return this;
    }
    if (load.slot() < 0 || load.slot() >= piece.slots()) {
      getContext().getLog().error("shard {} refused state slot {} for [{}, {}): its optimizer keeps {} slot(s)",
          spec.shard(), load.slot(), load.chunk().offset(), load.chunk().end(), piece.slots());
      return this;
    }
    if (piece.loadSlot(load.slot(), load.chunk(), load.counters())) {
      loaded += piece.length();
    }
    return this;
  }

  private Behavior<Command> onStart(StartShard start) {
    long expected = start.version() == 0 ? spec.length() : spec.length() * pieces.get(0).slots();
    if (loaded < expected) {
      // The Coordinator's step timeout turns this into a failed job with a clear reason.
      getContext().getLog().error("shard {} cannot start: {} of {} initial values loaded", spec.shard(), loaded, expected);
      return this;
    }
    version = start.version();
    workers.clear();
    workers.addAll(start.workers());
    // A full-batch method's points, the first included, come from the Coordinator alone: the
    // workers count a version's values by chunk, and two senders' chunks would overlap.
    if (!spec.optimizer().fullBatch()) {
      pieces.forEach(piece -> send(asynchronous() ? 0 : version, piece.published()));
    }
    return this;
  }

  private Behavior<Command> onGradientChunk(GradientChunk received) {
    GradientChunk chunk;
    try {
      chunk = received.decoded(spec.precision());
    } catch (IllegalArgumentException e) {
      return refuse(received, "does not decode: " + e.getMessage());
    }
    if (asynchronous()) {
      return onAsyncChunk(chunk, received.wireBytes()); // counted per micro-batch (ticket)
    }
    stepBytes += received.wireBytes();
    if (chunk.step() != version) {
      return refuse(chunk, "is for step " + chunk.step() + " but this shard is at step " + version);
    }
    if (samples.length == 0 && chunk.microBatches() > 0) {
      beginStep(chunk.microBatches(), chunk.lr());
    }
    int microBatches = samples.length;
    if (chunk.microBatches() != microBatches || chunk.microBatch() < 0 || chunk.microBatch() >= microBatches) {
      return refuse(chunk, "names micro-batch " + chunk.microBatch() + " of " + chunk.microBatches()
          + " but the step has " + microBatches);
    }
    if (chunk.sampleCount() < 0 || chunk.lr() != stepLr) {
      return refuse(chunk, "counts " + chunk.sampleCount() + " samples at lr " + chunk.lr() + " (the step's lr is " + stepLr + ")");
    }
    ShardPiece piece = pieceAt(chunk.chunk());
    if (piece == null) {
      return refuse(chunk, "covers [" + chunk.chunk().offset() + ", " + chunk.chunk().end() + ") as "
          + chunk.chunk().precision().cliName() + ", which is not one of this shard's " + spec.precision().cliName()
          + " pieces of " + spec.pieceFloats() + " in [" + spec.offset() + ", " + (spec.offset() + spec.length()) + ")");
    }
    var acceptance = piece.accept(chunk.microBatch(), chunk.chunk(), chunk.finite());
    if (acceptance == ShardPiece.Acceptance.NOT_FINITE) {
      return refuse(chunk, "holds NaN or Inf values although it says its gradient is finite");
    }
    if (acceptance == ShardPiece.Acceptance.REPEAT) {
      if (closedStep() && !included(chunk.microBatch())) {
        dropped++;
      }
      return this;
    }
    samples[chunk.microBatch()] = chunk.sampleCount();
    losses[chunk.microBatch()] = chunk.lossSum();
    stepFinite &= chunk.finite();
    // With backup workers a piece waits for the Coordinator to say which micro-batches count.
    if (acceptance == ShardPiece.Acceptance.COMPLETE && (!backup() || closedStep())) {
      // Every micro-batch has now sent a chunk, so stepFinite covers the whole step.
      onPieceComplete(piece);
    }
    return this;
  }

  private void onPieceComplete(ShardPiece piece) {
    piecesComplete++;
    if (spec.optimizer().fullBatch()) {
      piece.reduce(totalSamples(), version);
      spec.coordinator().tell(new CoordinatorProtocol.GradientPiece(spec.shard(), version, piece.gradient()));
    } else if (!stepFinite) {
      send(version + 1, piece.published());
    } else if (spec.rules().clipsByNorm()) {
      stepSquares += piece.reduce(totalSamples(), version);
      if (piecesComplete == pieces.size()) {
        spec.coordinator().tell(new CoordinatorProtocol.GradientSquares(spec.shard(), version, stepSquares));
      }
      return;
    } else if (Double.isNaN(piece.reduce(totalSamples(), version))) {
      // The workers' gradients were finite but their sum is not (overflow): skip this piece.
      getContext().getLog().warn("shard {} skipped [{}, {}) at step {}: the summed gradient overflows",
          spec.shard(), piece.offset(), piece.offset() + piece.length(), version);
      send(version + 1, piece.published());
    } else {
      send(version + 1, piece.apply(1, stepLr));
    }
    if (piecesComplete == pieces.size()) {
      finishStep(!stepFinite);
    }
  }

  /** The Coordinator's answer to the shards' sums of squares; NaN means the norm is not finite: skip. */
  private Behavior<Command> onScaleGradient(ScaleGradient scale) {
    if (scale.step() != version || piecesComplete != pieces.size() || !stepFinite) {
      getContext().getLog().warn("shard {} ignored a gradient scale for step {} at step {}", spec.shard(), scale.step(), version);
      return this;
    }
    boolean skip = Double.isNaN(scale.factor());
    for (ShardPiece piece : pieces) {
      send(version + 1, skip ? piece.published() : piece.apply(scale.factor(), stepLr));
    }
    finishStep(skip);
    return this;
  }

  private Behavior<Command> onGetParameters(GetParameters get) {
    for (ShardPiece piece : pieces) {
      if (!get.withState()) {
        get.replyTo().tell(new CoordinatorProtocol.ShardParametersChunk(spec.shard(), version, piece.current(), refused));
        continue;
      }
      for (int slot = 0; slot < piece.slots(); slot++) {
        get.replyTo().tell(new CoordinatorProtocol.ShardParametersChunk(spec.shard(), version, piece.slot(slot), refused,
            slot, slot == 0 ? piece.counters() : new double[0]));
      }
    }
    return this;
  }

  private ShardPiece pieceAt(TensorChunk chunk) {
    long relative = chunk.offset() - spec.offset();
    int size = spec.pieceFloats();
    if (chunk.precision() != spec.precision() || relative < 0 || relative % size != 0 || relative / size >= pieces.size()) {
      return null;
    }
    ShardPiece piece = pieces.get((int) (relative / size));
    return piece.length() == chunk.length() ? piece : null;
  }

  /**
   * Logs and counts a refused chunk. One of the step this shard is at means its micro-batch is
   * still missing here: the Coordinator hears of it and has the micro-batch computed again.
   */
  private Behavior<Command> refuse(GradientChunk chunk, String why) {
    refused++;
    getContext().getLog().warn("shard {} refused a gradient chunk from {}: it {} (refused so far: {})",
        spec.shard(), chunk.sender().path(), why, refused);
    if (chunk.step() == version && !spec.optimizer().fullBatch() && !asynchronous()) {
      spec.coordinator().tell(new CoordinatorProtocol.ChunkRefused(spec.shard(), version, chunk.microBatch(), chunk.sender(),
          why, spec.generation()));
    }
    return this;
  }

  /** Workers left or joined between steps: new ones get the current values, all get the next ones. */
  private Behavior<Command> onSetWorkers(ShardProtocol.SetWorkers set) {
    for (ActorRef<WorkerProtocol.Command> worker : set.workers()) {
      if (set.publish() || !workers.contains(worker)) {
        for (int i = 0; i < pieces.size(); i++) {
          long at = asynchronous() ? pieceVersions[i] : version;
          worker.tell(new WorkerProtocol.ParametersChunk(at, pieces.get(i).published(), spec.generation()));
        }
      }
    }
    workers.clear();
    workers.addAll(set.workers());
    return this;
  }

  private boolean asynchronous() {
    return spec.mode().equals("async") || spec.mode().equals("ssp");
  }

  /**
   * Async modes: a micro-batch's piece is applied on arrival, with its own sample count and
   * learning rate, and the new values go straight back to the worker that pushed it (its pull).
   * The piece's version counts the micro-batches it has taken; staleness is how many others it
   * took since the version the gradient was computed at. When every piece here has taken the
   * micro-batch (its ticket), the Coordinator hears of it. A repeat (a re-sent ticket) is only
   * answered; a NaN under a finite flag is refused and leaves the piece as it was.
   */
  private Behavior<Command> onAsyncChunk(GradientChunk chunk, int bytes) {
    ShardPiece piece = pieceAt(chunk.chunk());
    if (piece == null) {
      return refuse(chunk, "covers [" + chunk.chunk().offset() + ", " + chunk.chunk().end() + ") as "
          + chunk.chunk().precision().cliName() + ", which is not one of this shard's pieces");
    }
    int index = pieces.indexOf(piece);
    if (!pieceTickets.get(index).add(chunk.step())) {
      chunk.sender().tell(new WorkerProtocol.ParametersChunk(pieceVersions[index], piece.published(), spec.generation()));
      return this;
    }
    long staleness = Math.max(0, pieceVersions[index] - chunk.baseVersion());
    piece.reset(1);
    boolean skipped = true;
    if (piece.accept(0, chunk.chunk(), chunk.finite()) == ShardPiece.Acceptance.NOT_FINITE) {
      refuse(chunk, "holds NaN or Inf values although it says its gradient is finite");
    } else if (chunk.finite() && chunk.sampleCount() > 0 && !Double.isNaN(piece.reduce(chunk.sampleCount(), pieceVersions[index]))) {
      piece.apply(1, chunk.lr());
      skipped = false;
    }
    pieceVersions[index]++;
    chunk.sender().tell(new WorkerProtocol.ParametersChunk(pieceVersions[index], piece.published(), spec.generation()));
    Ticket ticket = tickets.computeIfAbsent(chunk.step(), t -> new Ticket());
    ticket.pieces++;
    ticket.samples = chunk.sampleCount();
    ticket.loss = chunk.lossSum();
    ticket.skipped |= skipped;
    ticket.staleness = Math.max(ticket.staleness, staleness);
    ticket.bytes += bytes;
    if (ticket.pieces == pieces.size()) {
      tickets.remove(chunk.step());
      spec.coordinator().tell(new CoordinatorProtocol.StepDone(spec.shard(), chunk.step(), ticket.samples, ticket.loss,
          ticket.skipped, spec.generation(), ticket.staleness, ticket.bytes));
    }
    return this;
  }

  private boolean backup() {
    return spec.mode().equals("backup");
  }

  /** The current step is closed: the Coordinator named the micro-batches it keeps. */
  private boolean closedStep() {
    return closing != null && closing.step() == version && samples.length > 0;
  }

  private boolean included(int microBatch) {
    return java.util.Arrays.stream(closing.included()).anyMatch(m -> m == microBatch);
  }

  /**
   * Backup workers: the step keeps the micro-batches named; the others are zeroed wherever
   * they already arrived, and every piece that now holds all it needs is applied.
   */
  private Behavior<Command> onCloseStep(ShardProtocol.CloseStep close) {
    if (close.step() < version) {
      return this;
    }
    closing = close;
    if (close.step() == version && samples.length > 0) {
      applyClosing();
    }
    return this;
  }

  private void applyClosing() {
    for (int mb = 0; mb < samples.length; mb++) {
      if (!included(mb)) {
        samples[mb] = 0;
        losses[mb] = 0;
        for (ShardPiece piece : pieces) {
          piece.exclude(mb);
        }
      }
    }
    for (ShardPiece piece : pieces) {
      if (piece.complete() && version == closing.step() && samples.length > 0) {
        onPieceComplete(piece);
      }
    }
  }

  private void beginStep(int microBatches, double lr) {
    samples = new int[microBatches];
    losses = new double[microBatches];
    stepLr = lr;
    stepFinite = true;
    stepSquares = 0;
    piecesComplete = 0;
    pieces.forEach(piece -> piece.reset(microBatches));
    if (closing != null && closing.step() == version) {
      applyClosing();
    }
  }

  private int totalSamples() {
    return Arrays.stream(samples).sum();
  }

  private void finishStep(boolean skipped) {
    var done = new CoordinatorProtocol.StepDone(spec.shard(), version, totalSamples(), Arrays.stream(losses).sum(), skipped,
        spec.generation(), 0, stepBytes);
    stepBytes = 0;
    version++;
    samples = new int[0];
    spec.coordinator().tell(done);
  }

  private void send(long parameterVersion, TensorChunk values) {
    var message = new WorkerProtocol.ParametersChunk(parameterVersion, values, spec.generation());
    for (ActorRef<WorkerProtocol.Command> worker : workers) {
      worker.tell(message);
    }
  }
}
