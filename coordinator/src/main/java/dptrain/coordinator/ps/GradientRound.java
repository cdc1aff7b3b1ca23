package dptrain.coordinator.ps;

import dptrain.protocol.ShardProtocol.GradientChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Collects one step's gradient chunks for a shard's range. Each (micro-batch, range) counts
 * once, whoever sends it and however often; the step is complete when every micro-batch has
 * covered the whole range. The mean is then summed in micro-batch order, never arrival order,
 * so the result is the same bit for bit run after run.
 */
final class GradientRound {
  private final long offset;
  private final long length;
  private final List<INDArray> staging = new ArrayList<>();
  private final List<Set<Long>> seen = new ArrayList<>();
  private long[] received = new long[0];
  private int[] samples = new int[0];
  private double[] losses = new double[0];
  private int microBatches;
  private int complete;

  GradientRound(long offset, long length) {
    this.offset = offset;
    this.length = length;
  }

  /** Starts collecting a step of {@code microBatches} micro-batches; buffers are reused. */
  void reset(int microBatches) {
    this.microBatches = microBatches;
    this.complete = 0;
    while (staging.size() < microBatches) {
      staging.add(Nd4j.zeros(DataType.FLOAT, length));
      seen.add(new HashSet<>());
    }
    seen.forEach(Set::clear);
    received = new long[microBatches];
    samples = new int[microBatches];
    losses = new double[microBatches];
  }

  int microBatches() {
    return microBatches;
  }

  /** Why a chunk cannot belong to this round, or null when it can. */
  String refusal(GradientChunk chunk) {
    if (chunk.microBatches() != microBatches) {
      return "says the step has " + chunk.microBatches() + " micro-batches, not " + microBatches;
    }
    if (chunk.microBatch() < 0 || chunk.microBatch() >= microBatches) {
      return "names micro-batch " + chunk.microBatch() + " of " + microBatches;
    }
    if (chunk.chunk().offset() < offset || chunk.chunk().end() > offset + length) {
      return "covers [" + chunk.chunk().offset() + ", " + chunk.chunk().end() + "), outside this shard's ["
          + offset + ", " + (offset + length) + ")";
    }
    if (chunk.sampleCount() <= 0) {
      return "counts " + chunk.sampleCount() + " samples";
    }
    return null;
  }

  /** Takes a valid chunk; returns true when it completed the round. */
  boolean accept(GradientChunk chunk) {
    int mb = chunk.microBatch();
    if (received[mb] == length || !seen.get(mb).add(chunk.chunk().offset())) {
      return false;
    }
    chunk.chunk().copyInto(staging.get(mb).data().asNio(), offset);
    received[mb] += chunk.chunk().length();
    samples[mb] = chunk.sampleCount();
    losses[mb] = chunk.lossSum();
    if (received[mb] == length) {
      complete++;
    }
    return complete == microBatches;
  }

  int sampleCount() {
    int total = 0;
    for (int count : samples) {
      total += count;
    }
    return total;
  }

  double lossSum() {
    double total = 0;
    for (double loss : losses) {
      total += loss;
    }
    return total;
  }

  /** The mean gradient over every sample of the step, written into {@code into}. */
  void meanInto(INDArray into) {
    into.assign(staging.get(0));
    for (int mb = 1; mb < microBatches; mb++) {
      into.addi(staging.get(mb));
    }
    into.divi(sampleCount());
  }
}
