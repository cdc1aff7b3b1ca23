package dptrain.protocol.job;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the shards combine the workers' gradients: {@code sync} (bulk synchronous: a step is every
 * micro-batch of the global batch), {@code async} (each micro-batch applied on arrival; workers
 * pull the newest parameters), {@code ssp} (async, but no worker runs more than a bound ahead of
 * the slowest), {@code backup} (sync, but a step closes when all but b micro-batches are in; Chen
 * et al. 2016). On the wire and on the command line by its name.
 */
public enum ConsistencyMode {
  SYNC("sync"),
  ASYNC("async"),
  SSP("ssp"),
  BACKUP("backup");

  private final String cliName;

  ConsistencyMode(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  /** Workers compute on whatever parameters they hold, and shards apply each micro-batch on arrival. */
  public boolean asynchronous() {
    return this == ASYNC || this == SSP;
  }

  /** Every name, for help texts and errors. */
  public static String allowed() {
    return Arrays.stream(values()).map(ConsistencyMode::cliName).collect(Collectors.joining(", "));
  }

  /** The mode of this name; an error that names the allowed ones otherwise. */
  public static ConsistencyMode parse(String name) {
    for (ConsistencyMode mode : values()) {
      if (mode.cliName.equals(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("--mode must be one of " + allowed() + ", got '" + name + "'");
  }

  /** From the wire, where an empty name (an older sender) means sync. */
  public static ConsistencyMode fromWire(String name) {
    return name.isEmpty() ? SYNC : parse(name);
  }
}
