package dptrain.deploy.simulate;

import dptrain.protocol.tensor.BalancedSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Where a simulated step's data lives, as dptrain lays it out: each shard's host (beside worker s
 * mod N, or the coordinator's), its range cut into pieces of at most {@code maxChunkFloats}, and
 * each node's rows split over its lanes; with the work one step puts on the busiest shard host.
 */
final class PieceLayout {
  private static final int HEADER_BYTES = 64;

  /** Each piece as {shard, floats}. */
  final List<int[]> pieces = new ArrayList<>();
  final int[] shardHost;
  final int[] piecesOfShard;
  final int[][] laneRows;

  PieceLayout(ClusterModel model, int coordinatorHost) {
    shardHost = new int[model.shards()];
    piecesOfShard = new int[model.shards()];
    long[] shardBounds = BalancedSplit.bounds(model.parameters(), model.shards());
    for (int s = 0; s < model.shards(); s++) {
      shardHost[s] = model.shardsOnWorkers() ? s % model.nodes() : coordinatorHost;
      long length = shardBounds[s + 1] - shardBounds[s];
      piecesOfShard[s] = (int) Math.max(1, (length + model.maxChunkFloats() - 1) / model.maxChunkFloats());
      long[] chunkBounds = BalancedSplit.bounds(length, piecesOfShard[s]);
      for (int c = 0; c < piecesOfShard[s]; c++) {
        pieces.add(new int[] {s, (int) (chunkBounds[c + 1] - chunkBounds[c])});
      }
    }
    long[] nodeBounds = BalancedSplit.bounds(model.batch(), model.nodes());
    laneRows = new int[model.nodes()][];
    for (int n = 0; n < model.nodes(); n++) {
      long[] lanes = BalancedSplit.bounds(nodeBounds[n + 1] - nodeBounds[n], model.lanes());
      laneRows[n] = new int[model.lanes()];
      for (int l = 0; l < model.lanes(); l++) {
        laneRows[n][l] = (int) (lanes[l + 1] - lanes[l]);
      }
    }
  }

  /** A piece's message: its float32 values and a header. */
  static double bytes(int floats) {
    return (double) floats * Float.BYTES + HEADER_BYTES;
  }

  /** One node's encoding of its whole gradient, ms. */
  double encodeMs(Costs costs) {
    return pieces.stream().mapToDouble(p -> bytes(p[1])).sum() * costs.encodeNsPerByte() / 1e6;
  }

  /** The busiest shard host's decoding of one step's {@code contributions} per piece, ms. */
  double decodeMs(Costs costs, int contributions) {
    return busiestShardHost(p -> bytes(p[1]) * costs.decodeNsPerByte() / 1e6 * contributions);
  }

  /** The busiest shard host's apply of one step, ms. */
  double applyMs(Costs costs) {
    return busiestShardHost(p -> p[1] * costs.applyNsPerParameter() / 1e6);
  }

  private double busiestShardHost(ToDoubleFunction<int[]> work) {
    Map<Integer, Double> perHost = new HashMap<>();
    for (int[] piece : pieces) {
      perHost.merge(shardHost[piece[0]], work.applyAsDouble(piece), Double::sum);
    }
    return perHost.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
