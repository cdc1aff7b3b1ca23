package dptrain.deploy.simulate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A host's processors: up to {@code slots} jobs run at once, the others wait in order, and the
 * running ones share what the cores deliver together, each advancing at {@code min(1, capacity /
 * running)} core-ms per ms (measured: two hyper-threads of one core give much less than two
 * cores). Work is in core-ms, time in ms.
 */
final class SharedCpu {
  private static final class Job {
    double remaining;
    final Runnable done;

    Job(double work, Runnable done) {
      this.remaining = work;
      this.done = done;
    }
  }

  private final VirtualTime time;
  private final int slots;
  private final double capacity;
  private final Deque<Job> waiting = new ArrayDeque<>();
  private final List<Job> running = new ArrayList<>();
  private double updatedAt;
  private long version;
  private double busy;

  SharedCpu(VirtualTime time, int slots, double capacity) {
    if (slots < 1 || capacity <= 0 || capacity > slots) {
      throw new IllegalArgumentException("a CPU needs slots >= 1 and 0 < capacity <= slots, got " + slots + " and " + capacity);
    }
    this.time = time;
    this.slots = slots;
    this.capacity = capacity;
  }

  /** Runs {@code work} core-ms here, after the jobs queued before it; then {@code done}. */
  void run(double work, Runnable done) {
    if (work <= 0) {
      time.after(0, done);
      return;
    }
    advance();
    waiting.add(new Job(work, done));
    startWhatFits();
    reschedule();
  }

  /** Core-ms of work done so far. */
  double busy() {
    advance();
    return busy;
  }

  private double rate() {
    return running.isEmpty() ? 0 : Math.min(1.0, capacity / running.size());
  }

  private void advance() {
    double elapsed = time.now() - updatedAt;
    if (elapsed > 0 && !running.isEmpty()) {
      double rate = rate();
      for (Job job : running) {
        job.remaining -= elapsed * rate;
      }
      busy += elapsed * rate * running.size();
    }
    updatedAt = time.now();
  }

  private void startWhatFits() {
    while (running.size() < slots && !waiting.isEmpty()) {
      running.add(waiting.poll());
    }
  }

  /** The next completion, at the current rate; an event made stale by a later change does nothing. */
  private void reschedule() {
    long mine = ++version;
    if (running.isEmpty()) {
      return;
    }
    double least = Double.MAX_VALUE;
    for (Job job : running) {
      least = Math.min(least, job.remaining);
    }
    time.after(Math.max(0, least) / rate(), () -> {
      if (mine != version) {
        return;
      }
      advance();
      List<Job> finished = new ArrayList<>();
      for (Job job : running) {
        if (job.remaining <= 1e-9) {
          finished.add(job);
        }
      }
      running.removeAll(finished);
      startWhatFits();
      reschedule();
      finished.forEach(job -> job.done.run());
    });
  }
}
