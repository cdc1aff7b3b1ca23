package dptrain.deploy.simulate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A discrete-event simulation of dptrain's step protocol in virtual time. Each node computes its
 * share of the batch on its lanes, encodes its gradient piece by piece (at most one chunk of
 * {@code maxChunkFloats} each) and sends every piece to the shard that holds it; a shard decodes
 * each contribution, applies a piece once it has all of them (sync), all but the backups' (backup)
 * or each one as it comes (async, ssp), encodes the new piece once and sends it to the nodes that
 * wait for it, which decode it and start their next step once they have every piece (ssp: and
 * are no more than {@code staleness} steps ahead of the slowest node). In sync and backup modes
 * the coordinator is in the loop too: each shard tells it when a step is applied, and once all
 * have, it hands every node the step after next (a lookahead of one, as dptrain does); a node
 * starts a step only when it holds that step's order. Every piece of work runs on
 * its host's CPU; every message between hosts pays Artery's cost on both sides and crosses the
 * sender's and the receiver's links; messages inside a node pay one local hop.
 */
final class StepSimulation {
  private static final int WARM_STEPS = 5;
  private static final int LOOKAHEAD = 1;
  private static final double CONTROL_BYTES = 96;

  private final ClusterModel model;
  private final Costs costs;
  private final VirtualTime time = new VirtualTime();
  private final Random random;
  private final SharedCpu[] cpu;
  private final Link[] egress;
  private final Link[] ingress;
  private final PieceLayout layout;
  private final int[] shardHost;
  private final List<int[]> pieces; // {shard, floats}
  private final int[][] laneRows;
  private final long measuredSteps;

  private final long[] nodeStep;
  private final double[] computeStart;
  private final boolean[] pushed;
  private final long[] paramsStep;
  private final Map<Long, int[]> received = new HashMap<>(); // step -> pieces received, per node
  private final Map<Long, int[]> contributions = new HashMap<>(); // step -> contributions, per piece
  private final long[] pendingNext;
  private final int coordinatorHost;
  private final long[] orderedUpTo;
  private final Map<Long, int[]> appliedPieces = new HashMap<>(); // step -> pieces applied, per shard
  private final Map<Long, Integer> shardsDone = new HashMap<>();

  private final Map<Long, Double> stepEnd = new HashMap<>();
  private final Map<Long, Double> computeSpan = new HashMap<>();
  private long applied;
  private double measureStartAt = Double.NaN;
  private long appliedAtMeasureStart;
  private double crossingGradientBytes;
  private long lastStep;

  StepSimulation(ClusterModel model, Costs costs, long measuredSteps) {
    this.model = model;
    this.costs = costs;
    this.measuredSteps = measuredSteps;
    this.random = new Random(model.seed());
    int hosts = model.nodes() + (model.separateCoordinator() ? 1 : 0);
    coordinatorHost = model.separateCoordinator() ? model.nodes() : 0;
    cpu = new SharedCpu[hosts];
    SharedCpu machine = new SharedCpu(time, costs.machineCores(), costs.machineCapacity());
    egress = new Link[hosts];
    ingress = new Link[hosts];
    for (int h = 0; h < hosts; h++) {
      cpu[h] = model.sharedMachine() ? machine : new SharedCpu(time, model.hostCores(), model.hostCapacity());
      egress[h] = new Link(model.bytesPerMs());
      ingress[h] = new Link(model.bytesPerMs());
    }
    layout = new PieceLayout(model, coordinatorHost);
    pieces = layout.pieces;
    shardHost = layout.shardHost;
    laneRows = layout.laneRows;
    nodeStep = new long[model.nodes()];
    computeStart = new double[model.nodes()];
    pushed = new boolean[model.nodes()];
    paramsStep = new long[model.nodes()];
    Arrays.fill(paramsStep, -1);
    pendingNext = new long[model.nodes()];
    Arrays.fill(pendingNext, -1);
    orderedUpTo = new long[model.nodes()];
    Arrays.fill(orderedUpTo, lockstep() ? LOOKAHEAD : Long.MAX_VALUE);
    lastStep = WARM_STEPS + measuredSteps;
  }

  /** Runs the warm-up steps and the measured ones; the prediction for the measured ones. */
  Prediction run() {
    for (int n = 0; n < model.nodes(); n++) {
      startCompute(n, 0);
    }
    boolean lockstep = lockstep();
    long totalContributions = lastStep * model.nodes();
    time.run(() -> lockstep ? stepEnd.containsKey(lastStep - 1) : applied >= totalContributions, 200_000_000L);
    if (lockstep) {
      double window = stepEnd.get(lastStep - 1) - stepEnd.get((long) WARM_STEPS - 1);
      double stepMs = window / measuredSteps;
      double rowsPerStep = model.mode().equals("backup")
          ? (double) model.batch() * (model.nodes() - model.backups()) / model.nodes() : model.batch();
      double compute = 0;
      for (long k = WARM_STEPS; k < lastStep; k++) {
        compute += computeSpan.getOrDefault(k, 0.0);
      }
      return new Prediction(rowsPerStep * 1000 / stepMs, stepMs, compute / measuredSteps, layout.encodeMs(costs),
          layout.decodeMs(costs, model.mode().equals("backup") ? model.nodes() - model.backups() : model.nodes()),
          layout.applyMs(costs),
          crossingGradientBytes / lastStep);
    }
    double window = time.now() - measureStartAt;
    double samples = (double) (applied - appliedAtMeasureStart) * model.batch() / model.nodes();
    double samplesPerSecond = samples * 1000 / window;
    return new Prediction(samplesPerSecond, 1000.0 * model.batch() / samplesPerSecond, 0, 0, 0, 0,
        crossingGradientBytes / lastStep);
  }

  private boolean lockstep() {
    return model.mode().equals("sync") || model.mode().equals("backup");
  }

  private void startCompute(int node, long step) {
    nodeStep[node] = step;
    pushed[node] = false;
    computeStart[node] = time.now();
    double factor = model.stragglerProbability() > 0 && random.nextDouble() < model.stragglerProbability()
        ? model.stragglerFactor() : 1.0;
    int[] lanesLeft = {model.lanes()};
    for (int l = 0; l < model.lanes(); l++) {
      cpu[node].run(costs.gradientMs(model.parameters(), laneRows[node][l]) * factor, () -> {
        if (--lanesLeft[0] == 0) {
          computeSpan.merge(step, time.now() - computeStart[node], Math::max);
          push(node, step, 0);
        }
      });
    }
  }

  /** Encodes piece {@code index} and sends it to its shard, then the next; the node has pushed after the last. */
  private void push(int node, long step, int index) {
    if (index == pieces.size()) {
      pushed[node] = true;
      maybeNext(node);
      return;
    }
    int[] piece = pieces.get(index);
    double size = PieceLayout.bytes(piece[1]);
    cpu[node].run(size * costs.encodeNsPerByte() / 1e6, () -> {
      int host = shardHost[piece[0]];
      if (host != node) {
        crossingGradientBytes += size;
      }
      send(node, host, size, () -> contribute(index, step, node));
      push(node, step, index + 1);
    });
  }

  private void contribute(int index, long step, int node) {
    int[] piece = pieces.get(index);
    int host = shardHost[piece[0]];
    int[] counts = contributions.computeIfAbsent(step, k -> new int[pieces.size()]);
    int needed = switch (model.mode()) {
      case "sync" -> model.nodes();
      case "backup" -> model.nodes() - model.backups();
      default -> 1;
    };
    if (lockstep() && counts[index] >= needed) {
      return; // a backup's late piece: dropped, as the shard drops it
    }
    double size = PieceLayout.bytes(piece[1]);
    cpu[host].run(size * costs.decodeNsPerByte() / 1e6, () -> {
      if (!lockstep()) {
        apply(index, step, new int[] {node});
        return;
      }
      if (++counts[index] == needed) {
        int[] everyone = new int[model.nodes()];
        Arrays.setAll(everyone, n -> n);
        apply(index, step, everyone);
      }
    });
  }

  private void apply(int index, long step, int[] to) {
    int[] piece = pieces.get(index);
    int host = shardHost[piece[0]];
    double size = PieceLayout.bytes(piece[1]);
    cpu[host].run(piece[1] * costs.applyNsPerParameter() / 1e6 + size * costs.encodeNsPerByte() / 1e6, () -> {
      if (lockstep()) {
        tellCoordinatorWhenShardIsDone(piece[0], step);
      }
      for (int node : to) {
        send(host, node, size, () -> cpu[node].run(size * costs.decodeNsPerByte() / 1e6, () -> receive(node, step)));
      }
    });
  }

  private void tellCoordinatorWhenShardIsDone(int shard, long step) {
    int[] applied = appliedPieces.computeIfAbsent(step, k -> new int[model.shards()]);
    if (++applied[shard] < layout.piecesOfShard[shard]) {
      return;
    }
    send(shardHost[shard], coordinatorHost, CONTROL_BYTES, () -> {
      if (shardsDone.merge(step, 1, Integer::sum) < model.shards()) {
        return;
      }
      long order = step + 1 + LOOKAHEAD;
      for (int n = 0; n < model.nodes(); n++) {
        int node = n;
        send(coordinatorHost, node, CONTROL_BYTES, () -> {
          orderedUpTo[node] = Math.max(orderedUpTo[node], order);
          releaseWhoMayGo();
        });
      }
    });
  }

  private void receive(int node, long step) {
    int[] counts = received.computeIfAbsent(step, k -> new int[model.nodes()]);
    if (++counts[node] < pieces.size()) {
      return;
    }
    received.get(step)[node] = Integer.MIN_VALUE; // whole: later duplicates cannot count again
    paramsStep[node] = Math.max(paramsStep[node], step);
    if (lockstep()) {
      int[] all = received.get(step);
      boolean everyone = true;
      for (int n = 0; n < model.nodes(); n++) {
        everyone &= all[n] < 0;
      }
      if (everyone) {
        stepEnd.put(step, time.now());
      }
    } else {
      applied++;
      if (applied == (long) WARM_STEPS * model.nodes()) {
        measureStartAt = time.now();
        appliedAtMeasureStart = applied;
      }
    }
    maybeNext(node);
  }

  /** A node goes on once it has pushed its step and holds parameters at least that new (ssp: within the bound). */
  private void maybeNext(int node) {
    long step = nodeStep[node];
    if (!pushed[node] || paramsStep[node] < step || pendingNext[node] >= 0) {
      return;
    }
    long next = lockstep() ? paramsStep[node] + 1 : step + 1;
    if (lockstep() && next >= lastStep) {
      return;
    }
    pendingNext[node] = next;
    releaseWhoMayGo();
  }

  /** Starts every node whose next step is due: at once, or under ssp once the slowest is close enough. */
  private void releaseWhoMayGo() {
    long slowest = Long.MAX_VALUE;
    for (int n = 0; n < model.nodes(); n++) {
      slowest = Math.min(slowest, pendingNext[n] >= 0 ? pendingNext[n] : nodeStep[n]);
    }
    for (int n = 0; n < model.nodes(); n++) {
      long next = pendingNext[n];
      if (next >= 0 && next <= orderedUpTo[n] && (!model.mode().equals("ssp") || next - slowest <= model.staleness())) {
        pendingNext[n] = -1;
        startCompute(n, next);
      }
    }
  }

  /** A message from host to host: one local hop inside a node, or Artery's work on both sides, its latency and both links. */
  private void send(int from, int to, double size, Runnable deliver) {
    if (from == to) {
      cpu[from].run(costs.localHopMs(), deliver);
      return;
    }
    double sideMs = size * costs.transportNsPerByte() / 1e6;
    double latency = model.latencyMs() + costs.messageLatencyMs();
    cpu[from].run(sideMs, () -> {
      double[] out = egress[from].carry(size, time.now());
      time.at(out[0] + latency, () -> {
        double[] in = ingress[to].carry(size, time.now());
        double relayMs = model.relays() ? size * costs.relayNsPerByte() / 1e6 : 0;
        time.at(Math.max(in[1], out[1] + latency), () -> cpu[to].run(relayMs, () -> cpu[to].run(sideMs, deliver)));
      });
    });
  }
}
