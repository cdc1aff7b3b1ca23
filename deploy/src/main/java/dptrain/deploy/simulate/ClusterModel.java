package dptrain.deploy.simulate;

/**
 * The cluster and job a simulation runs: {@code nodes} worker nodes of {@code lanes} compute
 * lanes, {@code shards} parameter-server shards on the workers' nodes (shard s beside worker s
 * mod N, as dptrain places them) or on the coordinator's, a global batch, a consistency mode,
 * and the network: one-way latency per link and a NIC bandwidth per host and direction (0: no
 * limit); {@code relays}: that network is emulated by a relay in front of every node (as {@code
 * dptrain launch --link-latency} does), whose copying costs its host CPU. {@code sharedMachine}: every node runs on this one machine's cores (the local
 * simulation, namespace hosts); otherwise each host has cores of its own ({@code hostCores},
 * delivering {@code hostCapacity}). {@code separateCoordinator}: the coordinator has a host of
 * its own (a launch), instead of living on the first worker node (a local run). A straggler: with
 * probability {@code stragglerProbability} a node's compute for a step takes {@code
 * stragglerFactor} times as long.
 */
public record ClusterModel(
    int nodes,
    int lanes,
    int shards,
    boolean shardsOnWorkers,
    boolean separateCoordinator,
    long parameters,
    int batch,
    String mode,
    int staleness,
    int backups,
    double latencyMs,
    double bytesPerMs,
    boolean relays,
    boolean sharedMachine,
    int hostCores,
    double hostCapacity,
    double stragglerProbability,
    double stragglerFactor,
    int maxChunkFloats,
    long seed) {

  public ClusterModel {
    if (nodes < 1 || lanes < 1 || shards < 1 || batch < nodes * lanes) {
      throw new IllegalArgumentException("need nodes, lanes, shards >= 1 and a batch of at least one row per lane");
    }
    if (!java.util.Set.of("sync", "async", "ssp", "backup").contains(mode)) {
      throw new IllegalArgumentException("mode must be sync, async, ssp or backup, got " + mode);
    }
    if (mode.equals("backup") && (backups < 1 || backups >= nodes)) {
      throw new IllegalArgumentException("backup mode needs 1 <= backups < nodes, got " + backups + " of " + nodes);
    }
  }

  int workers() {
    return nodes * lanes;
  }

  /** This network and machine with another layout and job. */
  ClusterModel withLayout(int n, int laneCount, int shardCount, long parameterCount, int globalBatch, String consistency) {
    return new ClusterModel(n, laneCount, shardCount, shardsOnWorkers, separateCoordinator, parameterCount, globalBatch,
        consistency, staleness, backups, latencyMs, bytesPerMs, relays, sharedMachine, hostCores, hostCapacity,
        stragglerProbability, stragglerFactor, maxChunkFloats, seed);
  }
}
