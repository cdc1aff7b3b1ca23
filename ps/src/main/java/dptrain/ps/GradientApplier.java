package dptrain.ps;

import dptrain.protocol.ShardProtocol;
import dptrain.protocol.ShardProtocol.GradientChunk;

/** How a shard's mode applies the gradients it receives: synchronous steps, or async micro-batches. */
interface GradientApplier {
  /** A decoded chunk of {@code wireBytes} bytes on the wire. */
  void onChunk(GradientChunk chunk, int wireBytes);

  /** Refuses a chunk (logged and counted); the mode decides whether the Coordinator hears of it. */
  void refuse(GradientChunk chunk, String why);

  /** The version a worker that joins (or everyone, at a pause) gets of piece {@code index}. */
  long versionOf(int index);

  /** Clipping by global norm: the Coordinator's scale for a step. */
  default void onScale(ShardProtocol.ScaleGradient scale) {}

  /** Backup workers: the Coordinator's closing of a step. */
  default void onClose(ShardProtocol.CloseStep close) {}

  /** The Coordinator has not heard this shard's report of {@code step}: repeat it if the step is done here. */
  default void onReportStep(long step) {}
}
