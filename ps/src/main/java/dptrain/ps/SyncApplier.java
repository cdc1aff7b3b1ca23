package dptrain.ps;

import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.StepTimes;
import java.util.Arrays;

/**
 * Synchronous steps: the first chunk of step t opens the step with the number of micro-batches
 * and the learning rate it names (every later chunk must agree). A piece is complete when every
 * micro-batch's gradient for it has arrived; it is then reduced, updated and sent (as version
 * t + 1) to every worker at once. With clipping by global norm the shard first reduces every
 * piece, reports its sum of squares and applies the step at the Coordinator's scale. A step
 * whose gradient holds NaN or Inf is skipped: the values go back unchanged. With backup workers
 * a piece waits for the Coordinator's closing, which names the micro-batches that count. For the
 * full-batch methods the shard only reduces, and sends each piece of the mean gradient to the
 * Coordinator.
 */
final class SyncApplier implements GradientApplier {
  /**
   * Steps whose reports are kept: the Coordinator is at most lookahead steps behind a shard, and it
   * asks for a report while its step is the oldest open one.
   */
  private static final int RECENT_REPORTS = 16;
  /** The step under way: what each micro-batch counted, and how far its pieces are. */
  private static final class OpenStep {
    final int[] samples;
    final double[] losses;
    final double lr;
    boolean finite = true;
    double squares;
    int piecesComplete;
    /** The step's time split so far: the workers' slowest compute and encode, this shard's decode and apply. */
    long computeNanos;
    long encodeNanos;
    long decodeNanos;
    long applyNanos;
    /** Each counted micro-batch's compute and encode time on its worker (for the per-worker view). */
    final long[] microBatchNanos;
    /** Each counted micro-batch's rows digest (for the exactly-once check). */
    final long[] rowsDigests;
    /** When the step's first chunk came, and when each micro-batch's latest did after it (to name whom the step waits on). */
    final long openedNanos = System.nanoTime();
    final long[] arrivals;

    OpenStep(int microBatches, double lr) {
      this.samples = new int[microBatches];
      this.microBatchNanos = new long[microBatches];
      this.rowsDigests = new long[microBatches];
      this.arrivals = new long[microBatches];
      this.losses = new double[microBatches];
      this.lr = lr;
    }

    int totalSamples() {
      return Arrays.stream(samples).sum();
    }
  }

  private final ShardState state;
  private final boolean backup;
  private final boolean fullBatch;
  /** No step is open between a step's end and the first chunk of the next. */
  private OpenStep open;
  /** Backup workers: the Coordinator's closing of the current step (it may come before the step's first chunk). */
  private ShardProtocol.CloseStep closing;
  /** Gradient payload bytes received since the last step finished (the wire cost of a step). */
  private long stepBytes;
  /** The reports of the steps finished last, to repeat when the Coordinator says it did not hear one. */
  private final RecentReports recentDone = new RecentReports(RECENT_REPORTS);

  SyncApplier(ShardState state, boolean backup) {
    this.state = state;
    this.backup = backup;
    this.fullBatch = state.spec.optimizer().fullBatch();
  }

  @Override
  public long versionOf(int index) {
    return state.version;
  }

  @Override
  public void onChunk(GradientChunk chunk, int wireBytes) {
    stepBytes += wireBytes;
    if (chunk.step() != state.version) {
      refuse(chunk, "is for step " + chunk.step() + " but this shard is at step " + state.version);
      return;
    }
    if (open == null && chunk.microBatches() > 0) {
      beginStep(chunk.microBatches(), chunk.lr());
    }
    int microBatches = open == null ? 0 : open.samples.length;
    if (chunk.microBatches() != microBatches || chunk.microBatch() < 0 || chunk.microBatch() >= microBatches) {
      refuse(chunk, "names micro-batch " + chunk.microBatch() + " of " + chunk.microBatches() + " but the step has "
          + microBatches);
    } else if (chunk.sampleCount() < 0 || chunk.lr() != open.lr) {
      refuse(chunk, "counts " + chunk.sampleCount() + " samples at lr " + chunk.lr() + " (the step's lr is " + open.lr + ")");
    } else {
      take(chunk);
    }
  }

  private void take(GradientChunk chunk) {
    ShardPiece piece = state.pieceAt(chunk.chunk());
    if (piece == null) {
      refuse(chunk, state.misfit(chunk));
      return;
    }
    long start = System.nanoTime();
    var acceptance = piece.accept(chunk.microBatch(), chunk.chunk(), chunk.finite());
    open.decodeNanos += System.nanoTime() - start;
    open.computeNanos = Math.max(open.computeNanos, chunk.computeNanos());
    open.encodeNanos = Math.max(open.encodeNanos, chunk.encodeNanos());
    if (acceptance == ShardPiece.Acceptance.NOT_FINITE) {
      refuse(chunk, "holds NaN or Inf values although it says its gradient is finite");
      return;
    }
    if (acceptance == ShardPiece.Acceptance.REPEAT) {
      return; // a re-sent micro-batch, or (backup workers) one its step closed without
    }
    open.samples[chunk.microBatch()] = chunk.sampleCount();
    open.rowsDigests[chunk.microBatch()] = chunk.rowsDigest();
    open.microBatchNanos[chunk.microBatch()] = Math.max(open.microBatchNanos[chunk.microBatch()],
        chunk.computeNanos() + chunk.encodeNanos());
    open.losses[chunk.microBatch()] = chunk.lossSum();
    open.arrivals[chunk.microBatch()] = Math.max(1, start - open.openedNanos);
    open.finite &= chunk.finite();
    // With backup workers a piece waits for the Coordinator to say which micro-batches count.
    if (acceptance == ShardPiece.Acceptance.COMPLETE && (!backup || closedStep())) {
      // Every micro-batch has now sent a chunk, so the step's finite flag covers the whole step.
      onPieceComplete(piece);
    }
  }

  /** A refusal of a chunk of the step under way is the Coordinator's to hear: that micro-batch is computed again. */
  @Override
  public void refuse(GradientChunk chunk, String why) {
    state.refuse(chunk, why, chunk.step() == state.version && !fullBatch);
  }

  private void onPieceComplete(ShardPiece piece) {
    long start = System.nanoTime();
    boolean finishes = applyPiece(piece);
    open.applyNanos += System.nanoTime() - start;
    if (finishes && open.piecesComplete == state.pieces.size()) {
      finishStep(!open.finite);
    }
  }

  /** Reduces and applies (or skips, or with clipping only reduces) a complete piece; false while the step waits for its scale. */
  private boolean applyPiece(ShardPiece piece) {
    open.piecesComplete++;
    if (fullBatch) {
      piece.reduce(open.totalSamples(), state.version, state.ties);
      state.tellCoordinator(new CoordinatorProtocol.GradientPiece(state.spec.shard(), state.version, piece.gradient()));
    } else if (!open.finite) {
      state.send(state.version + 1, piece.published());
    } else if (state.spec.rules().clipsByNorm()) {
      open.squares += piece.reduce(open.totalSamples(), state.version, state.ties);
      if (open.piecesComplete == state.pieces.size()) {
        state.tellCoordinator(new CoordinatorProtocol.GradientSquares(state.spec.shard(), state.version, open.squares));
      }
      return false;
    } else if (Double.isNaN(piece.reduce(open.totalSamples(), state.version, state.ties))) {
      // The workers' gradients were finite but their sum is not (overflow): skip this piece.
      state.log().warn("shard {} skipped [{}, {}) at step {}: the summed gradient overflows", state.spec.shard(),
          piece.offset(), piece.offset() + piece.length(), state.version);
      state.send(state.version + 1, piece.published());
    } else {
      state.send(state.version + 1, piece.apply(1, open.lr));
    }
    return true;
  }

  /** The Coordinator's answer to the shards' sums of squares; NaN means the norm is not finite: skip. */
  @Override
  public void onScale(ShardProtocol.ScaleGradient scale) {
    if (open == null || scale.step() != state.version || open.piecesComplete != state.pieces.size() || !open.finite) {
      state.log().warn("shard {} ignored a gradient scale for step {} at step {}", state.spec.shard(), scale.step(),
          state.version);
      return;
    }
    boolean skip = Double.isNaN(scale.factor());
    for (ShardPiece piece : state.pieces) {
      state.send(state.version + 1, skip ? piece.published() : piece.apply(scale.factor(), open.lr));
    }
    finishStep(skip);
  }

  /**
   * Backup workers: the step keeps the micro-batches named; the others are zeroed wherever
   * they already arrived, and every piece that now holds all it needs is applied.
   */
  @Override
  public void onClose(ShardProtocol.CloseStep close) {
    if (close.step() < state.version) {
      return;
    }
    closing = close;
    if (close.step() == state.version && open != null) {
      applyClosing();
    }
  }

  private boolean closedStep() {
    return closing != null && closing.step() == state.version && open != null;
  }

  private boolean included(int microBatch) {
    return Arrays.stream(closing.included()).anyMatch(m -> m == microBatch);
  }

  private void applyClosing() {
    for (int mb = 0; mb < open.samples.length; mb++) {
      if (!included(mb)) {
        open.samples[mb] = 0;
        open.losses[mb] = 0;
        open.rowsDigests[mb] = 0;
        open.microBatchNanos[mb] = 0;
        open.arrivals[mb] = 0;
        for (ShardPiece piece : state.pieces) {
          piece.exclude(mb);
        }
      }
    }
    for (ShardPiece piece : state.pieces) {
      if (piece.complete() && closedStep()) {
        onPieceComplete(piece);
      }
    }
  }

  private void beginStep(int microBatches, double lr) {
    open = new OpenStep(microBatches, lr);
    state.pieces.forEach(piece -> piece.reset(microBatches));
    state.ties.open(state.pieces);
    if (closing != null && closing.step() == state.version) {
      applyClosing();
    }
  }

  private void finishStep(boolean skipped) {
    var done = new CoordinatorProtocol.StepDone(state.spec.shard(), state.version, open.totalSamples(),
        Arrays.stream(open.losses).sum(), skipped, state.spec.generation(), 0, stepBytes,
        new StepTimes(open.computeNanos, open.encodeNanos, open.decodeNanos, open.applyNanos),
        Arrays.stream(open.microBatchNanos).boxed().toList(), Arrays.stream(open.rowsDigests).sum(),
        Arrays.stream(open.arrivals).boxed().toList());
    stepBytes = 0;
    state.version++;
    open = null;
    recentDone.send(done, state);
  }

  /**
   * The Coordinator's step went silent: repeat the report of it if it is done here. If this shard
   * is still at that step with nothing of it applied, a worker may lack this shard's values for
   * it (a lost chunk) and so never computed its part: publish them again; a worker ignores
   * values it already holds.
   */
  @Override
  public void onReportStep(long step) {
    boolean stillAtIt = step == state.version && !fullBatch && (open == null || open.piecesComplete == 0);
    if (!recentDone.repeat(step, state) && stillAtIt) {
      state.pieces.forEach(piece -> state.send(state.version, piece.published()));
    }
  }
}
