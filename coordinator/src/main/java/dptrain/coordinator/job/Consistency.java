package dptrain.coordinator.job;

/**
 * How the shards combine the workers' gradients.
 *
 * @param mode {@code sync} (bulk synchronous: a step is every micro-batch of the global batch),
 *     {@code async} (each micro-batch applied on arrival; workers pull the newest parameters),
 *     {@code ssp} (async, but no worker more than {@code staleness} micro-batches ahead of the
 *     slowest), {@code backup} (sync, but a step closes when all but {@code backupWorkers}
 *     micro-batches are in; the late ones are dropped and counted; Chen et al. 2016)
 */
public record Consistency(String mode, int staleness, int backupWorkers) {
  public static final Consistency SYNC = new Consistency("sync", 0, 0);
  public static final String ALLOWED = "sync, async, ssp, backup";

  public Consistency {
    if (!java.util.List.of("sync", "async", "ssp", "backup").contains(mode)) {
      throw new IllegalArgumentException("--mode must be one of " + ALLOWED + ", got '" + mode + "'");
    }
  }

  public boolean asynchronous() {
    return mode.equals("async") || mode.equals("ssp");
  }

  public boolean backup() {
    return mode.equals("backup");
  }
}
