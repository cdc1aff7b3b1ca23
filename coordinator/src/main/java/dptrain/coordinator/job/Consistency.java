package dptrain.coordinator.job;

import dptrain.protocol.job.ConsistencyMode;

/**
 * How the shards combine the workers' gradients.
 *
 * @param mode see {@link ConsistencyMode}
 * @param staleness ssp: no worker starts a micro-batch more than this many ahead of the slowest
 * @param backupWorkers backup: a step closes when all but this many micro-batches are in; the
 *     late ones are dropped and counted
 */
public record Consistency(ConsistencyMode mode, int staleness, int backupWorkers) {
  public static final Consistency SYNC = new Consistency(ConsistencyMode.SYNC, 0, 0);

  public boolean asynchronous() {
    return mode.asynchronous();
  }

  public boolean backup() {
    return mode == ConsistencyMode.BACKUP;
  }

  /** The SSP bound, or null when no worker is held back (plain async, and the synchronous modes). */
  public Integer stalenessBound() {
    return mode == ConsistencyMode.SSP ? staleness : null;
  }
}
