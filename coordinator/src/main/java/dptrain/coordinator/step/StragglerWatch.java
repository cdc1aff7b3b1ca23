package dptrain.coordinator.step;

import java.util.Deque;
import java.util.LinkedList;
import java.util.Optional;

/**
 * Names a straggler in the synchronous modes: a worker node that the steps keep waiting on. Each
 * completed step says which node came last and by how long after every other node. Over the last
 * {@value #WINDOW} steps, when one node caused at least {@value #LEAST_SHARE} of all that waiting,
 * and the steps waited on it {@value #LEAST_MILLIS_PER_STEP} ms or more per step, the watch names
 * it; once, and again only after its share fell below half (so a lasting straggler is named once).
 * Nodes that take turns, or are late by a little, are no stragglers.
 */
public final class StragglerWatch {
  static final int WINDOW = 20;
  static final double LEAST_SHARE = 0.75;
  /** On this machine two healthy nodes differ by up to about 4 ms per step (three JVMs on two cores). */
  static final double LEAST_MILLIS_PER_STEP = 5;

  /** A step's wait: {@code node} came last, {@code nanos} after the latest of the other nodes. */
  record Wait(String node, long nanos) {}

  /**
   * The node the steps wait on: last in {@code lastIn} of the last {@code of} steps, the cause of
   * {@code share} of their waiting, {@code millisPerStep} ms per step on average. Or, in backup
   * mode ({@code dropped}), the node whose micro-batch {@code lastIn} of the last {@code of}
   * steps closed without; the steps did not wait on it.
   */
  public record Straggler(String node, int lastIn, int of, double share, double millisPerStep, boolean dropped) {
    public Straggler(String node, int lastIn, int of, double share, double millisPerStep) {
      this(node, lastIn, of, share, millisPerStep, false);
    }

    static Straggler dropped(String node, int droppedIn, int of) {
      return new Straggler(node, droppedIn, of, (double) droppedIn / of, 0, true);
    }
  }

  private final Deque<Wait> recent = new LinkedList<>(); // null: a step with nobody to wait on
  private String named;

  /** One completed step's wait (empty when fewer than two nodes took part); a straggler newly seen, if any. */
  Optional<Straggler> observe(Optional<Wait> wait) {
    recent.addLast(wait.orElse(null));
    if (recent.size() > WINDOW) {
      recent.removeFirst();
    }
    if (named != null && share(named) < 0.5) {
      named = null; // it caught up: a later slow spell is news again
    }
    if (recent.size() < WINDOW || wait.isEmpty() || wait.get().node().equals(named)) {
      return Optional.empty();
    }
    String node = wait.get().node();
    double share = share(node);
    double millisPerStep = waited(node) / 1e6 / WINDOW;
    if (share < LEAST_SHARE || millisPerStep < LEAST_MILLIS_PER_STEP) {
      return Optional.empty();
    }
    named = node;
    int lastIn = (int) recent.stream().filter(w -> w != null && w.node().equals(node)).count();
    return Optional.of(new Straggler(node, lastIn, WINDOW, share, millisPerStep));
  }

  private double share(String node) {
    long all = recent.stream().filter(w -> w != null).mapToLong(Wait::nanos).sum();
    return all == 0 ? 0 : (double) waited(node) / all;
  }

  private long waited(String node) {
    return recent.stream().filter(w -> w != null && w.node().equals(node)).mapToLong(Wait::nanos).sum();
  }
}
