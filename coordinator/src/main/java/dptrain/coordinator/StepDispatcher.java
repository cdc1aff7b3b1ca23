package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import dptrain.coordinator.lr.LrSchedule;
import dptrain.coordinator.plan.Curriculum;
import dptrain.coordinator.plan.EpochPlan;
import dptrain.coordinator.plan.Schedule;
import dptrain.protocol.WorkerProtocol;
import java.util.Arrays;
import java.util.List;

/**
 * Hands out one synchronous step: the step's global batch from the epoch plan, cut into one
 * micro-batch per worker; each worker gets its {@code Compute}. The shards learn the number of
 * micro-batches and the step's learning rate from the gradient chunks themselves: a separate message from here could arrive
 * after the chunks of a worker on the shard's own node.
 */
final class StepDispatcher {
  private final Schedule schedule;
  private final long seed;
  private final int rows;
  private final int batch;
  private final boolean shuffle;
  private final List<ActorRef<WorkerProtocol.Command>> workers;
  private final int reductionGroups;
  private final LrSchedule rates;
  private final Curriculum curriculum;
  private EpochPlan plan;
  private long planEpoch = -1;

  StepDispatcher(Schedule schedule, long seed, int rows, int batch, boolean shuffle,
      List<ActorRef<WorkerProtocol.Command>> workers, int reductionGroups, LrSchedule rates, Curriculum curriculum) {
    this.curriculum = curriculum;
    this.reductionGroups = reductionGroups;
    this.rates = rates;
    this.schedule = schedule;
    this.seed = seed;
    this.rows = rows;
    this.batch = batch;
    this.shuffle = shuffle;
    this.workers = workers;
  }

  void dispatch(long step) {
    long epoch = schedule.epochOf(step);
    if (epoch != planEpoch) {
      plan = curriculum != null && curriculum.appliesTo(epoch)
          ? EpochPlan.inOrder(curriculum, batch)
          : new EpochPlan(seed, epoch, rows, batch, shuffle);
      planEpoch = epoch;
    }
    int[] batchRows = plan.batch(schedule.stepInEpoch(step));
    double lr = rates.at(step);
    if (reductionGroups > 0) {
      dispatchInGroups(step, batchRows, lr);
      return;
    }
    int[][] microBatches = EpochPlan.split(batchRows, Math.min(workers.size(), batchRows.length));
    for (int mb = 0; mb < microBatches.length; mb++) {
      workers.get(mb % workers.size()).tell(
          new WorkerProtocol.Compute(step, mb, microBatches.length, microBatches[mb], lr));
    }
  }

  /**
   * The batch in {@code reductionGroups} canonical groups, each worker a contiguous block of
   * them (the worker count divides the group count): every such split gives the same sum.
   */
  private void dispatchInGroups(long step, int[] batchRows, double lr) {
    int[][] groups = EpochPlan.split(batchRows, reductionGroups);
    int perWorker = reductionGroups / workers.size();
    for (int w = 0; w < workers.size(); w++) {
      int[] sizes = new int[perWorker];
      int[][] block = new int[perWorker][];
      for (int g = 0; g < perWorker; g++) {
        block[g] = groups[w * perWorker + g];
        sizes[g] = block[g].length;
      }
      int[] rows = Arrays.stream(block).flatMapToInt(Arrays::stream).toArray();
      workers.get(w).tell(new WorkerProtocol.Compute(step, w, workers.size(), rows, sizes, lr));
    }
  }
}
