package dptrain.deploy.simulate;

import java.util.PriorityQueue;

/**
 * The simulation's clock and its agenda: events run in the order of their virtual time (ms),
 * ties in the order they were scheduled, so a run is a pure function of its inputs.
 */
final class VirtualTime {
  private record Event(double at, long seq, Runnable action) {}

  private final PriorityQueue<Event> agenda = new PriorityQueue<>((a, b) -> a.at != b.at ? Double.compare(a.at, b.at)
      : Long.compare(a.seq, b.seq));
  private double now;
  private long seq;
  private long events;

  double now() {
    return now;
  }

  void at(double time, Runnable action) {
    agenda.add(new Event(Math.max(time, now), seq++, action));
  }

  void after(double delay, Runnable action) {
    at(now + delay, action);
  }

  /** Runs events until none is left, {@code stop} says so, or {@code maxEvents} ran (a bound on any model). */
  void run(java.util.function.BooleanSupplier stop, long maxEvents) {
    while (!agenda.isEmpty() && !stop.getAsBoolean()) {
      if (++events > maxEvents) {
        throw new IllegalStateException("the simulation ran " + maxEvents + " events without finishing");
      }
      Event next = agenda.poll();
      now = next.at;
      next.action.run();
    }
  }
}
