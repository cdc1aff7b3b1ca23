package dptrain.deploy.launch;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a host of a hosts file runs. */
public enum HostRole {
  /** The node that forms the cluster and runs the job (exactly one). */
  COORDINATOR,
  /** A second coordinator node that takes the job over if the first one's node dies. */
  STANDBY,
  /** Computes gradients (its slots are its compute lanes). */
  WORKER,
  /** Hosts parameter-server shards. */
  PS;

  public String fileName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  static String allowed() {
    return Arrays.stream(values()).map(HostRole::fileName).collect(Collectors.joining(", "));
  }

  static HostRole parse(String word) {
    return Arrays.stream(values()).filter(r -> r.fileName().equals(word)).findFirst().orElse(null);
  }
}
