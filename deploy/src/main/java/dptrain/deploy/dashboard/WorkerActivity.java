package dptrain.deploy.dashboard;

import dptrain.deploy.report.Json;
import dptrain.deploy.report.JsonLine;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What each worker node has done in the current generation, from the run's {@code worker_tally}
 * lines (running totals of micro-batches, compute seconds, seconds waited on and micro-batches
 * dropped by backup steps, every few seconds): the totals,
 * and the time per micro-batch between the last two tallies, which is the node's recent step
 * time. Not thread-safe: its owner synchronizes.
 */
final class WorkerActivity {
  /** One node's running totals. */
  record Totals(long microBatches, double computeSeconds, double waitedOnSeconds, long dropped) {}

  private record Node(Totals totals, double recentMillis) {}

  private final Map<String, Node> nodes = new TreeMap<>();

  /** The totals of a worker_tally line, by node address. */
  static Map<String, Totals> parse(JsonLine tally) {
    Map<String, Long> counts = new TreeMap<>();
    pairs(tally.text("micro_batches")).forEach((node, count) -> counts.put(node, Long.parseLong(count)));
    Map<String, String> seconds = pairs(tally.has("compute_s") ? tally.text("compute_s") : "");
    Map<String, String> waited = pairs(tally.has("waited_on_s") ? tally.text("waited_on_s") : "");
    Map<String, String> dropped = pairs(tally.has("dropped") ? tally.text("dropped") : "");
    Map<String, Totals> totals = new TreeMap<>();
    counts.forEach((node, count) -> totals.put(node, new Totals(count, Double.parseDouble(seconds.getOrDefault(node, "0")),
        Double.parseDouble(waited.getOrDefault(node, "0")), Long.parseLong(dropped.getOrDefault(node, "0")))));
    return totals;
  }

  void add(JsonLine tally) {
    parse(tally).forEach((node, now) -> {
      Node before = nodes.get(node);
      double recent = Double.NaN;
      if (before != null && now.microBatches() > before.totals().microBatches()) {
        recent = 1000 * (now.computeSeconds() - before.totals().computeSeconds())
            / (now.microBatches() - before.totals().microBatches());
      } else if (before == null && now.microBatches() > 0) {
        recent = 1000 * now.computeSeconds() / now.microBatches();
      }
      nodes.put(node, new Node(now, Double.isNaN(recent) && before != null ? before.recentMillis() : recent));
    });
  }

  /** A new generation formed: its tallies count from zero. */
  void reset() {
    nodes.clear();
  }

  /** {@code {"node": {"micro_batches": n, "compute_ms": ms per micro-batch lately}, ...}}. */
  String toJson() {
    return nodes.entrySet().stream().map(e -> Json.string(e.getKey()) + ":{\"micro_batches\":"
        + e.getValue().totals().microBatches() + ",\"compute_ms\":" + Json.number(e.getValue().recentMillis()) + "}")
        .collect(Collectors.joining(",", "{", "}"));
  }

  /** {@code "a=1 b=2"} as a map (values as written). */
  private static Map<String, String> pairs(String text) {
    Map<String, String> pairs = new TreeMap<>();
    for (String item : text.isBlank() ? new String[0] : text.split(" ")) {
      int eq = item.lastIndexOf('=');
      if (eq > 0) {
        pairs.put(item.substring(0, eq), item.substring(eq + 1));
      }
    }
    return pairs;
  }
}
