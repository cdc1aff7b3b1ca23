package dptrain.ps;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol.HostShard;
import dptrain.protocol.ShardProtocol.GetParameters;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.ShardProtocol.LoadParameters;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.TensorChunk;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * What one shard holds, whatever its mode: its range of the vector cut into the pieces the
 * workers push (each with its optimizer state), the workers it sends values to, the step it is
 * at, and the chunks it refused. The appliers change it; only the shard's actor calls them.
 */
final class ShardState {
  final HostShard spec;
  final List<ShardPiece> pieces = new ArrayList<>();
  final List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>();
  /** Parameter tying's terms, taken at each step's start. */
  final TieTerms ties;
  private final Logger log;
  long version;
  long refused;
  private long loaded;

  ShardState(HostShard spec, Logger log) {
    this.spec = spec;
    this.log = log;
    for (Chunking.Piece piece : Chunking.split(spec.offset(), spec.length(), spec.pieceFloats())) {
      pieces.add(new ShardPiece(piece.offset(), piece.length(), spec.precision(), spec.optimizer(), spec.rules()));
    }
    this.ties = new TieTerms(spec.rules(), spec.offset(), (int) spec.length());
    long outside = TieTerms.outside(spec.rules(), spec.offset(), (int) spec.length());
    if (outside > 0) {
      log.warn("shard {} cannot apply {} of the job's parameter ties: a tied range lies on another shard", spec.shard(), outside);
    }
  }

  Logger log() {
    return log;
  }

  /** Initial values, or a checkpoint's parameters and optimizer state, one piece and slot at a time. */
  void load(LoadParameters load) {
    ShardPiece piece = pieceAt(load.chunk());
    if (piece == null) {
      log.error("shard {} refused initial values for [{}, {}): not one of its {} pieces", spec.shard(), load.chunk().offset(),
          load.chunk().end(), spec.precision().cliName());
    } else if (load.slot() < 0 || load.slot() >= piece.slots()) {
      log.error("shard {} refused state slot {} for [{}, {}): its optimizer keeps {} slot(s)", spec.shard(), load.slot(),
          load.chunk().offset(), load.chunk().end(), piece.slots());
    } else if (piece.loadSlot(load.slot(), load.chunk(), load.counters())) {
      loaded += piece.length();
    }
  }

  /** Whether everything a start at {@code startVersion} needs is loaded (a resumed start needs the optimizer state too). */
  boolean loadedFor(long startVersion) {
    long expected = startVersion == 0 ? spec.length() : spec.length() * pieces.get(0).slots();
    if (loaded < expected) {
      // The Coordinator's step timeout turns this into a failed job with a clear reason.
      log.error("shard {} cannot start: {} of {} initial values loaded", spec.shard(), loaded, expected);
      return false;
    }
    return true;
  }

  void setWorkers(List<ActorRef<WorkerProtocol.Command>> now) {
    workers.clear();
    workers.addAll(now);
  }

  /** The piece a chunk covers exactly, or null. */
  ShardPiece pieceAt(TensorChunk chunk) {
    long relative = chunk.offset() - spec.offset();
    int size = spec.pieceFloats();
    if (chunk.precision() != spec.precision() || relative < 0 || relative % size != 0 || relative / size >= pieces.size()) {
      return null;
    }
    ShardPiece piece = pieces.get((int) (relative / size));
    return piece.length() == chunk.length() ? piece : null;
  }

  /** Why a chunk fits none of the pieces, for its refusal. */
  String misfit(GradientChunk chunk) {
    return "covers [" + chunk.chunk().offset() + ", " + chunk.chunk().end() + ") as " + chunk.chunk().precision().cliName()
        + ", which is not one of this shard's " + spec.precision().cliName() + " pieces of " + spec.pieceFloats() + " in ["
        + spec.offset() + ", " + (spec.offset() + spec.length()) + ")";
  }

  /**
   * Logs and counts a refused chunk. With {@code reported}, the Coordinator hears of it (a
   * chunk of the step under way means its micro-batch is still missing here and has to be computed again).
   */
  void refuse(GradientChunk chunk, String why, boolean reported) {
    refused++;
    log.warn("shard {} refused a gradient chunk from {}: it {} (refused so far: {})", spec.shard(), chunk.sender().path(), why,
        refused);
    if (reported) {
      tellCoordinator(new CoordinatorProtocol.ChunkRefused(spec.shard(), version, chunk.microBatch(), chunk.sender(), why,
          spec.generation()));
    }
  }

  void tellCoordinator(CoordinatorProtocol.Command message) {
    spec.coordinator().tell(message);
  }

  /** Values of {@code parameterVersion} to every worker. */
  void send(long parameterVersion, TensorChunk values) {
    var message = new WorkerProtocol.ParametersChunk(parameterVersion, values, spec.generation());
    for (ActorRef<WorkerProtocol.Command> worker : workers) {
      worker.tell(message);
    }
  }

  void sendTo(ActorRef<WorkerProtocol.Command> worker, long parameterVersion, TensorChunk values) {
    worker.tell(new WorkerProtocol.ParametersChunk(parameterVersion, values, spec.generation()));
  }

  /** The parameters (and with state, every optimizer slot and the counters) to whoever asked. */
  void reportParameters(GetParameters get) {
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
  }
}
