package dptrain.coordinator.generation;

import dptrain.coordinator.step.StepLoop;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.ChunkRefused;
import dptrain.protocol.CoordinatorProtocol.GradientSquares;
import dptrain.protocol.CoordinatorProtocol.MicroBatchPushed;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import java.util.Optional;

/** Which of the shards' and workers' reports are the step loop's, in its own protocol. */
final class ClusterReports {
  private ClusterReports() {}

  static Optional<StepLoop.Command> toStepLoop(CoordinatorProtocol.Command message) {
    if (message instanceof StepDone done) {
      return Optional.of(new StepLoop.ShardStepDone(done));
    }
    if (message instanceof GradientSquares squares) {
      return Optional.of(new StepLoop.ShardGradientSquares(squares));
    }
    if (message instanceof ChunkRefused refusal) {
      return Optional.of(new StepLoop.ShardRefusedChunk(refusal));
    }
    if (message instanceof MicroBatchPushed pushed) {
      return Optional.of(new StepLoop.WorkerPushed(pushed));
    }
    return Optional.empty();
  }
}
