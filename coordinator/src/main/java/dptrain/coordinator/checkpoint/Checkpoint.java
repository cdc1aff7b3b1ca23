package dptrain.coordinator.checkpoint;

import dptrain.protocol.tensor.FlatArray;
import java.util.List;
import java.util.Map;

/**
 * Everything a job needs to go on exactly where it stopped: the parameters, every shard
 * piece's optimizer state, the step (which fixes the epoch, the position in the epoch plan and
 * every random draw, all functions of (seed, step, row)), the Coordinator's bookkeeping, and the
 * job's configuration.
 *
 * @param state the optimizer's state arrays, each a vector as long as the parameters
 * @param counters each shard piece's optimizer counters, by the piece's offset
 * @param shards and {@code pieceFloats}: the cut of the vector the state was kept in (a resume needs the same)
 */
public record Checkpoint(String jobId, String config, long step, long epoch, long stepInEpoch, long seed,
    FlatArray parameters, List<FlatArray> state, Map<Long, double[]> counters, int shards, int pieceFloats,
    Progress progress) {

  public Checkpoint {
    state = List.copyOf(state);
    counters = Map.copyOf(counters);
  }

  /**
   * The Coordinator's bookkeeping at the checkpoint.
   *
   * @param lrState what the learning-rate schedule learned from evaluations (plateau)
   * @param bestParameters early stopping 7.1's best parameters so far, or null
   * @param epochSamples samples of the current epoch already applied
   * @param samplesPerEpoch samples applied in each finished epoch
   */
  public record Progress(long skippedSteps, double[] lrState, double bestLoss, long bestStep, int strikes,
      FlatArray bestParameters, double bestTestLoss, double bestTestAccuracy, double bestTrainLoss,
      double lastValidationLoss, double lastTrainLoss, long epochSamples, long[] samplesPerEpoch) {}
}
