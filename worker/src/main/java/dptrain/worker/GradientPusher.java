package dptrain.worker;

import akka.actor.typed.ActorRef;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends each shard its range of a computed gradient, in chunks that fit one Artery frame and
 * line up with the shard's pieces. Chunks go round-robin over the shards, so that every shard
 * can start applying its first piece while the rest is still on the way.
 */
final class GradientPusher {
  private record Target(ActorRef<ShardProtocol.Command> shard, Chunking.Piece piece) {}

  private final List<Target> order = new ArrayList<>();
  private final ActorRef<WorkerProtocol.Command> self;

  private final FaultInjector faults;
  private final GradientCompressor compressor;

  GradientPusher(List<ShardAddress> shards, int maxChunkFloats, ActorRef<WorkerProtocol.Command> self, FaultInjector faults,
      GradientCompressor compressor) {
    this.self = self;
    this.faults = faults;
    this.compressor = compressor;
    List<List<Chunking.Piece>> perShard = shards.stream()
        .map(s -> Chunking.split(s.offset(), s.length(), maxChunkFloats))
        .toList();
    int most = perShard.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < most; i++) {
      for (int s = 0; s < shards.size(); s++) {
        if (i < perShard.get(s).size()) {
          order.add(new Target(shards.get(s).shard(), perShard.get(s).get(i)));
        }
      }
    }
  }

  /**
   * Sends the summed gradient (native-order values of {@code precision}), compressed when the
   * job asks for it; {@code finite} says whether all of it is free of NaN and Inf;
   * {@code baseVersion} gives each range's parameter version the gradient was computed at;
   * {@code computeNanos}: how long the gradient took, for the step's time split (with the
   * encoding time measured here).
   */
  void push(WorkerProtocol.Compute compute, Precision precision, ByteBuffer gradient, double lossSum, boolean finite,
      java.util.function.LongUnaryOperator baseVersion, long computeNanos) {
    long start = System.nanoTime();
    TensorChunk[] dense = new TensorChunk[order.size()];
    dptrain.protocol.tensor.EncodedChunk[] encoded = new dptrain.protocol.tensor.EncodedChunk[order.size()];
    for (int i = 0; i < order.size(); i++) {
      var piece = order.get(i).piece();
      if (compressor.compresses()) {
        encoded[i] = compressor.encode(gradient, piece.offset(), piece.length(), finite);
      } else {
        dense[i] = TensorChunk.copyOf(piece.offset(), precision, gradient, (int) piece.offset(), piece.length());
      }
    }
    long encodeNanos = System.nanoTime() - start;
    List<ShardProtocol.GradientChunk> chunks = new ArrayList<>(order.size());
    long rows = dptrain.protocol.RowsDigest.of(compute.indices());
    for (int i = 0; i < order.size(); i++) {
      chunks.add(new ShardProtocol.GradientChunk(compute.step(), compute.microBatch(), compute.microBatches(),
          compute.indices().length, lossSum, dense[i], self, compute.lr(), finite,
          baseVersion.applyAsLong(order.get(i).piece().offset()), encoded[i], computeNanos, encodeNanos, rows));
    }
    chunks = faults.apply(chunks);
    for (int i = 0; i < chunks.size(); i++) {
      order.get(i).shard().tell(chunks.get(i));
    }
  }
}
