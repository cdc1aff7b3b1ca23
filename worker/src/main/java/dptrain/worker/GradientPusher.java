package dptrain.worker;

import akka.actor.typed.ActorRef;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.FloatChunk;
import java.nio.ByteBuffer;
import java.util.List;

/** Sends each shard its range of a computed gradient, in chunks that fit one Artery frame. */
final class GradientPusher {
  private final List<ShardAddress> shards;
  private final int maxChunkFloats;
  private final ActorRef<WorkerProtocol.Command> self;

  GradientPusher(List<ShardAddress> shards, int maxChunkFloats, ActorRef<WorkerProtocol.Command> self) {
    this.shards = shards;
    this.maxChunkFloats = maxChunkFloats;
    this.self = self;
  }

  void push(WorkerProtocol.Compute compute, ByteBuffer gradient, double lossSum) {
    for (ShardAddress shard : shards) {
      for (Chunking.Piece piece : Chunking.split(shard.offset(), shard.length(), maxChunkFloats)) {
        FloatChunk chunk = FloatChunk.copyOf(piece.offset(), gradient, (int) piece.offset(), piece.length());
        shard.shard().tell(new ShardProtocol.GradientChunk(compute.step(), compute.microBatch(),
            compute.microBatches(), compute.indices().length, lossSum, chunk, self));
      }
    }
  }
}
