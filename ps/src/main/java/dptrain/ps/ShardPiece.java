package dptrain.ps;

import dptrain.ps.optim.Optimizer;
import dptrain.ps.optim.Optimizers;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Finite;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.protocol.tensor.PairwiseReduction;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk-sized piece of a shard's range, with its own optimizer state. A step goes through
 * it in three moves: {@link #accept} each micro-batch's gradient; {@link #reduce} them to the
 * mean and apply the gradient rules; {@link #apply} the update. Without clipping by global
 * norm the shard does all three as soon as the piece is complete, and the new parameters flow
 * to the workers while later pieces are still arriving. Optimizers that work element by
 * element give the same result applied piece by piece. The micro-batches are summed in the
 * fixed pairwise order of {@link PairwiseReduction}, never in arrival order, so runs repeat bit
 * for bit.
 */
final class ShardPiece {
  private final long offset;
  private final Precision precision;
  private final FlatArray parameters;
  private final FlatArray gradient;
  private final FlatArray published;
  private final Optimizer optimizer;
  private final PieceRules rules;
  private final HeldRanges held;
  private final List<FlatArray> staging = new ArrayList<>();
  private boolean[] received = new boolean[0];
  /** Whether the step's (one) contribution was checked finite as it came, or zeroed; see {@link #reduce}. */
  private boolean acceptedFinite;
  private int arrived;
  private boolean loaded;

  ShardPiece(long offset, int length, Precision precision, OptimizerSpec spec, GradientRules rules) {
    this.offset = offset;
    this.precision = precision;
    this.parameters = FlatArray.zeros(precision, length);
    this.gradient = FlatArray.zeros(precision, length);
    // Full-batch methods run in the Coordinator: the shard only reduces their gradients.
    this.optimizer = spec.fullBatch() ? null : Optimizers.create(spec, parameters);
    this.published = optimizer != null && optimizer.looksAhead() ? FlatArray.zeros(precision, length) : parameters;
    this.rules = new PieceRules(rules, offset, length);
    this.held = new HeldRanges(rules, offset, length);
  }

  /** Sets the initial values; true the first time (a repeated load changes nothing). */
  boolean load(TensorChunk chunk) {
    if (loaded) {
      return false;
    }
    chunk.copyInto(parameters, 0);
    publish();
    loaded = true;
    return true;
  }

  /**
   * Sets optimizer state array {@code slot - 1} from a checkpoint, or with slot 0 the
   * parameters (as {@link #load}) and the optimizer's counters; true the first time.
   */
  boolean loadSlot(int slot, TensorChunk chunk, double[] counters) {
    if (slot == 0) {
      if (optimizer != null && counters.length == optimizer.counters().length) {
        optimizer.restoreCounters(counters);
      }
      return load(chunk);
    }
    chunk.copyInto(optimizer.state().get(slot - 1), 0);
    publish();
    return true;
  }

  /** 1 (the parameters) plus the optimizer's state arrays. */
  int slots() {
    return 1 + (optimizer == null ? 0 : optimizer.state().size());
  }

  /** Slot 0: the parameters; slot k: the optimizer's state array k - 1. */
  TensorChunk slot(int slot) {
    return slot == 0 ? current() : TensorChunk.of(offset, optimizer.state().get(slot - 1));
  }

  double[] counters() {
    return optimizer == null ? new double[0] : optimizer.counters();
  }

  long offset() {
    return offset;
  }

  int length() {
    return parameters.length();
  }

  /** Starts a step of {@code microBatches} micro-batches; staging buffers are reused. */
  void reset(int microBatches) {
    while (staging.size() < microBatches) {
      staging.add(FlatArray.zeros(precision, parameters.length()));
    }
    received = new boolean[microBatches];
    arrived = 0;
    acceptedFinite = false;
  }

  /** What became of a micro-batch's gradient for this piece. */
  enum Acceptance {
    /** Taken; other micro-batches are still missing. */
    TAKEN,
    /** Taken, and now every micro-batch is in. */
    COMPLETE,
    /** This micro-batch's values were already taken (a re-dispatched micro-batch, a retry): ignored. */
    REPEAT,
    /** The values hold NaN or Inf although the sender said they were finite: refused. */
    NOT_FINITE
  }

  /**
   * Takes micro-batch {@code mb}'s gradient for this piece. With {@code claimedFinite} the
   * values are checked: a NaN or Inf there is a corrupt message, not an overflow the worker saw
   * and flagged (which skips the whole step instead).
   */
  Acceptance accept(int microBatch, TensorChunk chunk, boolean claimedFinite) {
    if (received[microBatch]) {
      return Acceptance.REPEAT;
    }
    FlatArray target = staging.get(microBatch);
    chunk.copyInto(target, 0);
    if (claimedFinite && !allFinite(target)) {
      return Acceptance.NOT_FINITE;
    }
    acceptedFinite = claimedFinite;
    received[microBatch] = true;
    arrived++;
    return arrived == received.length ? Acceptance.COMPLETE : Acceptance.TAKEN;
  }

  /**
   * Backup workers: micro-batch {@code mb} is dropped from this step; whatever of it arrived
   * (or will) counts as zero, so the fixed pairwise sum runs over the included ones alone.
   */
  void exclude(int microBatch) {
    staging.get(microBatch).fill(0);
    acceptedFinite = true;
    if (!received[microBatch]) {
      received[microBatch] = true;
      arrived++;
    }
  }

  /** Every micro-batch of the step is in (or excluded). */
  boolean complete() {
    return arrived == received.length;
  }

  private static boolean allFinite(FlatArray values) {
    return values instanceof FlatArray.Float32 narrow ? Finite.all(narrow.values())
        : Finite.all(((FlatArray.Float64) values).values());
  }

  /**
   * Sums the micro-batches, divides by {@code samples} and applies the gradient rules of step
   * {@code step}; returns the gradient's sum of squares, NaN when it holds NaN or Inf.
   */
  double reduce(int samples, long step) {
    return reduce(samples, step, null);
  }

  /** The same, with the step's parameter-tying terms ({@code ties}, null: none) added to the mean gradient before the rules. */
  double reduce(int samples, long step, TieTerms ties) {
    for (PairwiseReduction.Pair pair : PairwiseReduction.order(received.length)) {
      staging.get(pair.target()).add(staging.get(pair.source()));
    }
    double total;
    if (received.length == 1 && samples >= 1 && acceptedFinite) {
      // One contribution, checked finite when it came, over a count of at least one: the
      // quotient is finite too, so the second scan (a fifth of a shard's time) is skipped.
      gradient.divideFinite(staging.get(0), samples);
      total = 0;
    } else {
      total = gradient.divide(staging.get(0), samples);
    }
    if (!Double.isFinite(total)) {
      return Double.NaN;
    }
    if (ties != null) {
      ties.addTo(offset, gradient);
    }
    held.take(gradient);
    double squares = rules.prepare(gradient, published, step) - held.zero(gradient);
    return Double.isFinite(squares) ? Math.max(0, squares) : Double.NaN;
  }

  /** Scales the reduced gradient by {@code factor}, applies it with learning rate {@code lr}; returns the new values. */
  TensorChunk apply(double factor, double lr) {
    rules.scale(gradient, factor);
    held.remember(parameters);
    rules.decay(parameters, lr);
    optimizer.step(parameters, gradient, lr);
    held.restore(parameters);
    publish();
    return published();
  }

  /** The reduced gradient, for full-batch methods. */
  TensorChunk gradient() {
    return TensorChunk.of(offset, gradient);
  }

  private void publish() {
    if (optimizer != null && optimizer.looksAhead()) {
      optimizer.lookAheadPoint(parameters, published);
    }
  }

  /** The values the workers compute at: the parameters, or the look-ahead point. */
  TensorChunk published() {
    return TensorChunk.of(offset, published);
  }

  /** Copies the published values (where the workers compute) into {@code into} from {@code at}. */
  void readPublished(double[] into, int at) {
    for (int i = 0; i < published.length(); i++) {
      into[at + i] = published.get(i);
    }
  }

  /** The parameters themselves (never the look-ahead point). */
  TensorChunk current() {
    return TensorChunk.of(offset, parameters);
  }
}
