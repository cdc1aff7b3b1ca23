package dptrain.deploy.cluster;

/**
 * How a local cluster runs its worker nodes: in this JVM (each its own ActorSystem, over real
 * remoting) or with {@code processes} one JVM each; {@code workersPerNode} compute lanes per node.
 */
public record LocalCluster(boolean processes, int workersPerNode) {
  /** The most lanes a node takes: far more than its cores would be slower, not faster. */
  public static final int MAX_LANES = 64;

  public LocalCluster {
    if (workersPerNode < 1 || workersPerNode > MAX_LANES) {
      throw new IllegalArgumentException("--workers-per-node must be in [1, " + MAX_LANES + "], got " + workersPerNode);
    }
  }

  public static LocalCluster inJvm() {
    return new LocalCluster(false, 1);
  }
}
