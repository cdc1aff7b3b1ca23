package dptrain.coordinator.step;

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
  private List<ActorRef<WorkerProtocol.Command>> workers;
  private final int reductionGroups;
  private final LrSchedule rates;
  private final Curriculum curriculum;
  private final int initialWorkers;
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
    this.initialWorkers = workers.size();
  }

  /** One micro-batch of a step and the worker computing it. */
  record Assignment(ActorRef<WorkerProtocol.Command> worker, WorkerProtocol.Compute compute) {}

  /** From the next dispatched step on, the batch is cut over these workers (one left, or one joined). */
  void setWorkers(List<ActorRef<WorkerProtocol.Command>> workers) {
    this.workers = List.copyOf(workers);
  }

  /** Sends step {@code step}'s micro-batches to the workers; returns who computes which. */
  List<Assignment> dispatch(long step) {
    int[] batchRows = batchRows(step);
    double lr = rates.at(step);
    List<Assignment> assignments = new java.util.ArrayList<>();
    if (reductionGroups > 0) {
      dispatchInGroups(step, batchRows, lr, assignments);
    } else {
      int[][] microBatches = EpochPlan.split(batchRows, Math.min(workers.size(), batchRows.length));
      for (int mb = 0; mb < microBatches.length; mb++) {
        assignments.add(new Assignment(workers.get(mb % workers.size()),
            new WorkerProtocol.Compute(step, mb, microBatches.length, microBatches[mb], lr)));
      }
    }
    assignments.forEach(a -> a.worker().tell(a.compute()));
    return assignments;
  }

  /** Step {@code step}'s global batch: its rows from the epoch plan. */
  int[] batchRows(long step) {
    long epoch = schedule.epochOf(step);
    if (epoch != planEpoch) {
      plan = curriculum != null && curriculum.appliesTo(epoch)
          ? EpochPlan.inOrder(curriculum, batch)
          : new EpochPlan(seed, epoch, rows, batch, shuffle);
      planEpoch = epoch;
    }
    return plan.batch(schedule.stepInEpoch(step));
  }

  double lr(long step) {
    return rates.at(step);
  }

  /**
   * The batch in {@code reductionGroups} canonical groups, each worker a contiguous block of
   * them (the worker count divides the group count): every such split gives the same sum.
   */
  private void dispatchInGroups(long step, int[] batchRows, double lr, List<Assignment> assignments) {
    int[][] groups = EpochPlan.split(batchRows, reductionGroups);
    // After a worker left, the count may no longer divide the groups: keep the job's own cut
    // (the same micro-batches, so the same bits), several of them on one worker.
    int slots = reductionGroups % workers.size() == 0 ? workers.size() : initialWorkers;
    int perWorker = reductionGroups / slots;
    for (int w = 0; w < slots; w++) {
      int[] sizes = new int[perWorker];
      int[][] block = new int[perWorker][];
      for (int g = 0; g < perWorker; g++) {
        block[g] = groups[w * perWorker + g];
        sizes[g] = block[g].length;
      }
      int[] rows = Arrays.stream(block).flatMapToInt(Arrays::stream).toArray();
      assignments.add(new Assignment(workers.get(w % workers.size()),
          new WorkerProtocol.Compute(step, w, slots, rows, sizes, lr)));
    }
  }
}
