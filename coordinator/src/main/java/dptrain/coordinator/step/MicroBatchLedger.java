package dptrain.coordinator.step;

import akka.actor.typed.ActorRef;
import dptrain.protocol.WorkerProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who computes which micro-batch of every step handed out and not yet complete. When a worker
 * leaves, or a shard refuses one of its chunks, its micro-batches go to live workers; the shards
 * take each (step, micro-batch, piece) once, so every sample still counts exactly once.
 */
final class MicroBatchLedger {
  /** How often one micro-batch may be computed again before the job gives up on it. */
  static final int MAX_ATTEMPTS = 4;

  private final TreeMap<Long, List<StepDispatcher.Assignment>> inFlight = new TreeMap<>();
  private final Map<String, Integer> attempts = new HashMap<>();

  void record(long step, List<StepDispatcher.Assignment> assignments) {
    inFlight.put(step, new ArrayList<>(assignments));
  }

  /** How many micro-batches step {@code step} has; 0 when it is not in flight. */
  int microBatches(long step) {
    var assignments = inFlight.get(step);
    return assignments == null || assignments.isEmpty() ? 0 : assignments.get(0).compute().microBatches();
  }

  /** The step is done: its assignments (who computed which micro-batch), no longer in flight. */
  List<StepDispatcher.Assignment> complete(long step) {
    var done = inFlight.remove(step);
    attempts.keySet().removeIf(key -> key.startsWith(step + "/"));
    return done == null ? List.of() : done;
  }

  void clear() {
    inFlight.clear();
    attempts.clear();
  }

  /** Gives every micro-batch of {@code lost} to the live workers, round robin; returns how many moved. */
  int reassignFrom(ActorRef<WorkerProtocol.Command> lost, List<ActorRef<WorkerProtocol.Command>> live) {
    int moved = 0;
    for (List<StepDispatcher.Assignment> step : inFlight.values()) {
      for (int i = 0; i < step.size(); i++) {
        if (step.get(i).worker().equals(lost)) {
          var to = live.get(moved++ % live.size());
          step.set(i, send(to, step.get(i).compute()));
        }
      }
    }
    return moved;
  }

  /** Sends every micro-batch of {@code step} again, each to the next live worker; returns how many. */
  int resend(long step, List<ActorRef<WorkerProtocol.Command>> live) {
    List<StepDispatcher.Assignment> assignments = inFlight.get(step);
    if (assignments == null) {
      return 0;
    }
    for (int i = 0; i < assignments.size(); i++) {
      var a = assignments.get(i);
      assignments.set(i, send(live.get((Math.max(0, live.indexOf(a.worker())) + 1) % live.size()), a.compute()));
    }
    return assignments.size();
  }

  /**
   * A shard refused micro-batch {@code microBatch} of {@code step} from {@code sender}: has it
   * computed again by another live worker (the same one when it is alone). Empty when the
   * micro-batch is not in flight or was already handed to someone else (another shard's refusal
   * of the same message); otherwise the new worker, or an error when it was tried too often.
   */
  Optional<ActorRef<WorkerProtocol.Command>> reassignRefused(long step, int microBatch, ActorRef<WorkerProtocol.Command> sender,
      List<ActorRef<WorkerProtocol.Command>> live) {
    List<StepDispatcher.Assignment> assignments = inFlight.get(step);
    if (assignments == null) {
      return Optional.empty();
    }
    for (int i = 0; i < assignments.size(); i++) {
      var a = assignments.get(i);
      if (a.compute().microBatch() != microBatch || !a.worker().equals(sender)) {
        continue;
      }
      int tries = attempts.merge(step + "/" + microBatch, 1, Integer::sum);
      if (tries > MAX_ATTEMPTS) {
        throw new IllegalStateException("micro-batch " + microBatch + " of step " + step + " was refused " + tries
            + " times; giving up");
      }
      int at = live.indexOf(sender);
      var to = live.get((at + 1) % live.size());
      assignments.set(i, send(to, a.compute()));
      return Optional.of(to);
    }
    return Optional.empty();
  }

  private static StepDispatcher.Assignment send(ActorRef<WorkerProtocol.Command> to, WorkerProtocol.Compute compute) {
    to.tell(compute);
    return new StepDispatcher.Assignment(to, compute);
  }
}
