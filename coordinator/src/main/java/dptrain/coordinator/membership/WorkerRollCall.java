package dptrain.coordinator.membership;

import akka.actor.Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Who has joined while a job waits for its workers, said so that a person can act on it: "2 of 3
 * worker(s) joined; missing: worker@10.0.0.3:25520 (last seen never)". The expected nodes
 * ({@code host:port}, as the launcher knows them from its hosts file) are optional; without them
 * it names the nodes that have joined. A node that was listed and dropped out is "last seen" that
 * long ago, which tells a crashed worker from one that never started.
 */
public final class WorkerRollCall {
  private final int needed;
  private final List<String> expected;
  private final LongSupplier nanoClock;
  private Set<String> listed = new LinkedHashSet<>();
  private int workers;
  private final Map<String, Long> droppedAt = new HashMap<>();

  /**
   * @param needed how many worker nodes the job waits for
   * @param expected the nodes expected to provide them, as {@code host:port}; empty when unknown
   */
  public WorkerRollCall(int needed, List<String> expected, LongSupplier nanoClock) {
    this.needed = needed;
    this.expected = List.copyOf(expected);
    this.nanoClock = nanoClock;
  }

  /** The node of each worker the receptionist lists now. */
  public void listed(Iterable<Address> nodes) {
    Set<String> now = new LinkedHashSet<>();
    int count = 0;
    for (Address node : nodes) {
      now.add(hostPort(node));
      count++;
    }
    workers = count;
    long time = nanoClock.getAsLong();
    for (String gone : listed) {
      if (!now.contains(gone)) {
        droppedAt.put(gone, time);
      }
    }
    listed = now;
  }

  /** "K of N worker(s)". */
  public String count() {
    return workers + " of " + needed + " worker(s)";
  }

  /**
   * "; missing: worker@HOST:PORT (last seen ...), ..." for the expected nodes not listed, or, when
   * none are expected, "; joined: HOST:PORT, ..."; empty when there is nothing to name.
   */
  public String names() {
    if (expected.isEmpty()) {
      return listed.isEmpty() ? "" : "; joined: " + String.join(", ", listed);
    }
    List<String> missing = new ArrayList<>();
    for (String node : expected) {
      if (!listed.contains(node)) {
        missing.add("worker@" + node + " (last seen " + lastSeen(node) + ")");
      }
    }
    return missing.isEmpty() ? "" : "; missing: " + String.join(", ", missing);
  }

  private String lastSeen(String node) {
    Long at = droppedAt.get(node);
    if (at == null) {
      return "never";
    }
    return Duration.ofNanos(nanoClock.getAsLong() - at).toSeconds() + " s ago";
  }

  /** {@code host:port} of an Akka address, as a hosts file names a node. */
  public static String hostPort(Address node) {
    return node.getHost().orElse("local") + ":" + node.getPort().map(String::valueOf).orElse("0");
  }
}
