package dptrain.coordinator.step;

import akka.actor.typed.ActorRef;
import dptrain.coordinator.plan.EpochPlan;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.WorkerProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Async and SSP: each step's global batch is cut into one micro-batch per worker, and every
 * micro-batch (a ticket) goes to whichever worker is free, to be applied by the shards on
 * arrival. A worker holds at most two tickets (one computing, one queued). Under SSP a worker
 * gets no new ticket while it is more than {@code staleness} tickets ahead of the slowest.
 * Steps finish when all their tickets are applied, possibly out of order; they are released
 * in order, so that the Coordinator books them as it books synchronous steps.
 */
final class AsyncScheduler {
  private static final int MAX_IN_FLIGHT = 2;

  private record Ticket(long id, long step, WorkerProtocol.Compute compute) {}

  /** What one step's tickets added up to so far. */
  private static final class StepSum {
    int remaining;
    int samples;
    double loss;
    boolean skipped;
    long staleness;
    long bytes;
    long rowsDigest;
  }

  private final StepDispatcher plan;
  private final Integer staleness;
  private final List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>();
  private final Map<ActorRef<WorkerProtocol.Command>, Integer> inFlight = new HashMap<>();
  private final Map<ActorRef<WorkerProtocol.Command>, Long> done = new HashMap<>();
  private final Deque<Ticket> waiting = new ArrayDeque<>();
  private final Map<Long, Map.Entry<Ticket, ActorRef<WorkerProtocol.Command>>> outstanding = new LinkedHashMap<>();
  private final Map<Long, StepSum> steps = new HashMap<>();
  private final TreeMap<Long, StepDone> finished = new TreeMap<>();
  private long nextStep;
  private long limit;
  private long nextRelease;
  private long nextTicket;
  private long ticketsDone;
  /** The most tickets any worker had done or in hand beyond the slowest when it was given another. */
  private long maxLead;

  /** {@code staleness}: the SSP bound, or null for plain async. */
  AsyncScheduler(StepDispatcher plan, List<ActorRef<WorkerProtocol.Command>> workers, Integer staleness, long firstStep) {
    this.plan = plan;
    this.staleness = staleness;
    this.nextStep = firstStep;
    this.limit = firstStep;
    this.nextRelease = firstStep;
    setWorkers(workers);
  }

  void setWorkers(List<ActorRef<WorkerProtocol.Command>> live) {
    for (var w : live) {
      inFlight.putIfAbsent(w, 0);
      done.putIfAbsent(w, done.values().stream().mapToLong(Long::longValue).min().orElse(0));
    }
    workers.clear();
    workers.addAll(live);
  }

  /** Tickets for steps before {@code end} (exclusive) may be handed out: up to the next pause. */
  void allowUntil(long end) {
    limit = end;
  }

  /** Micro-batches fully applied since this scheduler started: every piece's version at a pause. */
  long ticketsDone() {
    return ticketsDone;
  }

  /** Hands tickets to free workers, round robin, within the SSP bound. */
  void fill() {
    boolean progress = true;
    while (progress) {
      progress = false;
      for (var worker : workers) {
        long lead = lead(worker);
        if (inFlight.get(worker) >= MAX_IN_FLIGHT || (staleness != null && lead > staleness)) {
          continue;
        }
        Ticket ticket = nextTicket();
        if (ticket == null) {
          return;
        }
        maxLead = Math.max(maxLead, lead);
        issue(ticket, worker);
        progress = true;
      }
    }
  }

  /** How many tickets {@code worker} has done or in hand beyond the slowest worker's done ones. */
  private long lead(ActorRef<WorkerProtocol.Command> worker) {
    long slowest = workers.stream().mapToLong(done::get).min().orElse(0);
    return done.get(worker) + inFlight.get(worker) - slowest;
  }

  /** The largest lead a worker had when it was given a ticket: at most the SSP bound under SSP. */
  long maxLead() {
    return maxLead;
  }

  private Ticket nextTicket() {
    if (waiting.isEmpty() && nextStep < limit) {
      long step = nextStep++;
      int[] rows = plan.batchRows(step);
      int[][] parts = EpochPlan.split(rows, Math.min(workers.size(), rows.length));
      StepSum sum = new StepSum();
      sum.remaining = parts.length;
      steps.put(step, sum);
      for (int[] part : parts) {
        long id = nextTicket++;
        waiting.add(new Ticket(id, step, new WorkerProtocol.Compute(id, 0, 1, part, plan.lr(step))));
      }
    }
    return waiting.poll();
  }

  private void issue(Ticket ticket, ActorRef<WorkerProtocol.Command> worker) {
    inFlight.merge(worker, 1, Integer::sum);
    outstanding.put(ticket.id(), Map.entry(ticket, worker));
    worker.tell(ticket.compute());
  }

  /**
   * Every shard applied ticket {@code report.step()}: books it, and returns the steps that are
   * now finished, in step order (as one StepDone each: samples, loss, worst staleness).
   */
  List<StepDone> ticketDone(StepDone report) {
    var entry = outstanding.remove(report.step());
    if (entry == null) {
      return List.of(); // a re-sent ticket's second completion
    }
    ticketsDone++;
    var worker = entry.getValue();
    inFlight.computeIfPresent(worker, (w, n) -> n - 1);
    done.computeIfPresent(worker, (w, n) -> n + 1);
    long step = entry.getKey().step();
    StepSum sum = steps.get(step);
    sum.samples += report.sampleCount();
    sum.loss += report.lossSum();
    sum.skipped |= report.skipped();
    sum.staleness = Math.max(sum.staleness, report.staleness());
    sum.bytes += report.bytes();
    sum.rowsDigest += report.rowsDigest();
    if (--sum.remaining == 0) {
      steps.remove(step);
      finished.put(step, new StepDone(report.shard(), step, sum.samples, sum.loss, sum.skipped, report.generation(),
          sum.staleness, sum.bytes, dptrain.protocol.StepTimes.NONE, List.of(), sum.rowsDigest));
    }
    List<StepDone> released = new ArrayList<>();
    while (finished.containsKey(nextRelease)) {
      released.add(finished.remove(nextRelease++));
    }
    return released;
  }

  /** A worker left: its tickets go back to the front of the queue for the others. */
  void workerLost(ActorRef<WorkerProtocol.Command> worker) {
    List<Ticket> back = new ArrayList<>();
    outstanding.values().removeIf(e -> {
      if (e.getValue().equals(worker)) {
        back.add(e.getKey());
        return true;
      }
      return false;
    });
    for (int i = back.size() - 1; i >= 0; i--) {
      waiting.addFirst(back.get(i));
    }
    inFlight.remove(worker);
    done.remove(worker);
    workers.remove(worker);
  }

  /** The tickets handed out and not yet applied by every shard, oldest first. */
  List<Long> outstanding() {
    return List.copyOf(outstanding.keySet());
  }

  /** Nothing finished for a while: every outstanding ticket goes again, to the next worker. */
  int resend() {
    int count = 0;
    for (var e : outstanding.entrySet()) {
      var ticket = e.getValue().getKey();
      var to = workers.get((Math.max(0, workers.indexOf(e.getValue().getValue())) + 1) % workers.size());
      to.tell(ticket.compute());
      count++;
    }
    return count;
  }
}
