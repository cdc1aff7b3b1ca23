package dptrain.worker;

import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.tensor.TensorChunk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only: corrupts this worker's own gradient messages on purpose (configured by
 * {@code dptrain.worker.fault-injection}), so that tests can show the shards refuse what they
 * must. Each fault fires once, on the first micro-batch pushed for its step.
 */
final class FaultInjector {
  /** The faults a worker can inject. */
  enum Kind {
    NAN("nan"),
    WRONG_LENGTH("wrong-length"),
    STALE_STEP("stale-step");

    final String cliName;

    Kind(String cliName) {
      this.cliName = cliName;
    }
  }

  static final FaultInjector NONE = new FaultInjector(Map.of());

  private final Map<Long, Kind> pending;

  private FaultInjector(Map<Long, Kind> pending) {
    this.pending = new HashMap<>(pending);
  }

  /** Parses {@code KIND@STEP[,KIND@STEP..]}; empty means none. */
  static FaultInjector parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Map<Long, Kind> faults = new HashMap<>();
    for (String item : spec.split(",")) {
      String[] parts = item.trim().split("@");
      Kind kind = List.of(Kind.values()).stream().filter(k -> k.cliName.equals(parts[0])).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown fault '" + parts[0] + "' (known: nan, wrong-length, stale-step)"));
      if (parts.length != 2) {
        throw new IllegalArgumentException("a fault is KIND@STEP, got '" + item + "'");
      }
      faults.put(Long.parseLong(parts[1]), kind);
    }
    return new FaultInjector(faults);
  }

  /** The chunks of one micro-batch, as this worker will send them: corrupted when a fault is due for this step. */
  List<GradientChunk> apply(List<GradientChunk> chunks) {
    if (pending.isEmpty() || chunks.isEmpty()) {
      return chunks;
    }
    Kind kind = pending.remove(chunks.get(0).step());
    if (kind == null) {
      return chunks;
    }
    GradientChunk first = chunks.get(0);
    if (first.chunk() == null) {
      return chunks; // compressed: the faults corrupt dense values only
    }
    return switch (kind) {
      case NAN -> replaceFirst(chunks, withValues(first, nanFirst(first.chunk())));
      case WRONG_LENGTH -> replaceFirst(chunks, withValues(first, new TensorChunk(first.chunk().offset(),
          first.chunk().precision(), first.chunk().data().substring(0, first.chunk().data().size() - first.chunk().precision().bytes()))));
      case STALE_STEP -> chunks.stream().map(c -> new GradientChunk(c.step() - 1, c.microBatch(), c.microBatches(),
          c.sampleCount(), c.lossSum(), c.chunk(), c.sender(), c.lr(), c.finite())).toList();
    };
  }

  private static TensorChunk nanFirst(TensorChunk chunk) {
    var values = dptrain.protocol.tensor.FlatArray.zeros(chunk.precision(), chunk.length());
    chunk.copyInto(values, 0);
    values.set(0, Double.NaN);
    return TensorChunk.of(chunk.offset(), values);
  }

  private static GradientChunk withValues(GradientChunk c, TensorChunk values) {
    return new GradientChunk(c.step(), c.microBatch(), c.microBatches(), c.sampleCount(), c.lossSum(), values, c.sender(),
        c.lr(), c.finite());
  }

  private static List<GradientChunk> replaceFirst(List<GradientChunk> chunks, GradientChunk first) {
    var all = new java.util.ArrayList<>(chunks);
    all.set(0, first);
    return all;
  }
}
