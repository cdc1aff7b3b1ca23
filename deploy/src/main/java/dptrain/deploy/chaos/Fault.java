package dptrain.deploy.chaos;

/**
 * The faults the chaos suite provokes on a local multi-process cluster (one JVM per worker
 * node, each also hosting a parameter-server shard, except in a straggler's run), by signals to
 * the node's process, for a full disk by filling the small disk the run's checkpoints are written
 * to, and on the wire by an interceptor in front of every node. The faults on the coordinator's
 * side, and the wire's, run on a cluster of separate coordinator, standby and worker processes
 * ({@link #separateNodes()}).
 */
public enum Fault {
  KILL_WORKER("kill -9 of a worker node"),
  KILL_TWO_WORKERS("kill -9 of two worker nodes at once"),
  KILL_AND_RESTART("kill -9 of a worker node, then the same node started again"),
  SHORT_STALL("SIGSTOP of a worker node for 1 s (under the failure detector's 3 s), then SIGCONT"),
  LONG_STALL("SIGSTOP of a worker node for 12 s (past the failure detector and the 5 s the split-brain resolver waits), "
      + "then SIGCONT"),
  STRAGGLER("a straggler: a worker node stopped 50 ms of every 60 ms for 6 s (the run's shards on the coordinator's node)"),
  DISK_FULL("the checkpoints' disk (a 256 KB tmpfs) filled up; once a checkpoint is refused, kill -9 of a worker node "
      + "(a roll-back to the checkpoint kept from before); then room again"),
  GARBAGE_FLOOD("300 connections from outside the cluster to a worker node's and the coordinator's Artery ports "
      + "within 4 s: random bytes, Artery's header followed by a frame of random bytes, 32 held open idle"),
  KILL_COORDINATOR("kill -9 of the coordinator's node after a checkpoint; a standby coordinator node is running"),
  KILL_STANDBY("kill -9 of the standby coordinator's node"),
  WIRE_FAULTS("an interceptor in front of every node drops, duplicates, reorders and delays Artery frames of the "
      + "ordinary stream (the cluster's messages): 1 in 50 frames each, for 400 frames or 8 s");

  /** Which node of the cluster a fault hits. */
  public enum Target { WORKER, COORDINATOR, STANDBY }

  private final String description;

  Fault(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** The name on the command line and in the table: kill-worker, short-stall, ... */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public Target target() {
    return switch (this) {
      case KILL_COORDINATOR -> Target.COORDINATOR;
      case KILL_STANDBY -> Target.STANDBY;
      default -> Target.WORKER;
    };
  }

  /**
   * Whether the run is a cluster of separate processes (a coordinator, a standby coordinator,
   * worker nodes, each behind a wire interceptor) rather than {@code train --processes}, whose
   * coordinator is the run's own JVM and whose worker nodes end with it.
   */
  public boolean separateNodes() {
    return this == KILL_COORDINATOR || this == KILL_STANDBY || this == WIRE_FAULTS;
  }

  /** Whether the fault waits for a checkpoint to be written first (there is then one to go back to). */
  public boolean afterCheckpoint() {
    return this == DISK_FULL || this == KILL_COORDINATOR;
  }

  /**
   * Whether the run keeps its shards on the coordinator's node. A straggler's run does: with a shard
   * on the stalled node, the other node's next step waits for that shard's parameters and comes
   * last itself, so the steps seem to wait on both nodes (measured: the healthy node named at 11 to
   * 15 ms per step beside the stalled one). With no shard on it, the stalled node alone is late.
   */
  public boolean shardsOnCoordinator() {
    return this == STRAGGLER;
  }

  /** Worker nodes the run of this fault has (two killed at once leave two: the reduction groups still divide). */
  public int workers() {
    return this == KILL_TWO_WORKERS ? 4 : 2;
  }
}
