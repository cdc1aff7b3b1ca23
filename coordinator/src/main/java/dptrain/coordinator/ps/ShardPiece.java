package dptrain.coordinator.ps;

import dptrain.coordinator.optim.Optimizer;
import dptrain.protocol.tensor.FloatChunk;
import dptrain.protocol.tensor.PairwiseReduction;
import java.util.ArrayList;
import java.util.List;

/**
 * One chunk-sized piece of a shard's range, with its own optimizer state. A piece is applied
 * as soon as every micro-batch of the step has delivered its gradient for it, and sent back
 * at once: the new parameters flow to the workers while later pieces are still arriving.
 * Optimizers that work element by element give the same result applied piece by piece.
 * The micro-batches are summed in the fixed pairwise order of {@link PairwiseReduction}, never
 * in arrival order, so runs repeat bit for bit.
 */
final class ShardPiece {
  private final long offset;
  private final float[] parameters;
  private final float[] gradient;
  private final Optimizer optimizer;
  private final List<float[]> staging = new ArrayList<>();
  private boolean[] received = new boolean[0];
  private int arrived;

  private boolean loaded;

  ShardPiece(long offset, int length, Optimizer optimizer) {
    this.offset = offset;
    this.parameters = new float[length];
    this.gradient = new float[length];
    this.optimizer = optimizer;
  }

  /** Sets the initial values; true the first time (a repeated load changes nothing). */
  boolean load(FloatChunk chunk) {
    if (loaded) {
      return false;
    }
    chunk.values().get(parameters);
    loaded = true;
    return true;
  }

  long offset() {
    return offset;
  }

  int length() {
    return parameters.length;
  }

  /** Starts a step of {@code microBatches} micro-batches; staging buffers are reused. */
  void reset(int microBatches) {
    while (staging.size() < microBatches) {
      staging.add(new float[parameters.length]);
    }
    received = new boolean[microBatches];
    arrived = 0;
  }

  /** Takes micro-batch {@code mb}'s gradient for this piece; true when every micro-batch is in. */
  boolean accept(int microBatch, FloatChunk chunk) {
    if (received[microBatch]) {
      return false;
    }
    chunk.values().get(staging.get(microBatch));
    received[microBatch] = true;
    arrived++;
    return arrived == received.length;
  }

  /** Applies the step with the mean over {@code samples} samples; returns the new values. */
  FloatChunk apply(int samples) {
    for (PairwiseReduction.Pair pair : PairwiseReduction.order(received.length)) {
      float[] target = staging.get(pair.target());
      float[] source = staging.get(pair.source());
      for (int i = 0; i < target.length; i++) {
        target[i] += source[i];
      }
    }
    System.arraycopy(staging.get(0), 0, gradient, 0, gradient.length);
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] /= samples;
    }
    optimizer.step(parameters, gradient);
    return current();
  }

  FloatChunk current() {
    return FloatChunk.of(offset, parameters);
  }
}
