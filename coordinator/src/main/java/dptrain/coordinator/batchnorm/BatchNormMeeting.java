package dptrain.coordinator.batchnorm;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;

/**
 * Synchronised batch norm's meeting point, as an actor of its own: every micro-batch's sums for
 * a (step, layer, phase) come here, and every micro-batch is answered with the totals once the
 * last is in ({@link SyncedMoments}). One per generation of shards.
 */
public final class BatchNormMeeting {
  private BatchNormMeeting() {}

  public static Behavior<BatchMoments> create() {
    return Behaviors.setup(context -> {
      var moments = new SyncedMoments();
      return Behaviors.receiveMessage(m -> {
        moments.add(m);
        return Behaviors.same();
      });
    });
  }
}
