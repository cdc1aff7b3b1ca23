package dptrain.deploy.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * How the launcher runs a shell script on a host: over ssh (the default; batch mode, so a
 * missing key fails at once instead of asking for a password), or behind any command prefix
 * the user gives, with {@code {name}} and {@code {address}} standing for the host's, such as
 * {@code ip netns exec {name}} or {@code kubectl exec {name} --}.
 */
public final class RemoteShell {
  private final List<String> prefix;
  private final boolean ssh;

  private RemoteShell(List<String> prefix, boolean ssh) {
    this.prefix = List.copyOf(prefix);
    this.ssh = ssh;
  }

  /** ssh in batch mode, with {@code options} (such as {@code -i KEY}, {@code -o KEY=VALUE}) before the host. */
  public static RemoteShell ssh(int connectTimeoutSeconds, List<String> options) {
    List<String> command = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=" + connectTimeoutSeconds,
        "-o", "StrictHostKeyChecking=accept-new"));
    for (String option : options) {
      command.addAll(List.of(option.trim().split("\\s+", 2)));
    }
    return new RemoteShell(command, true);
  }

  /** {@code template}: words split on blanks, with {name} and {address} replaced per host. */
  public static RemoteShell prefix(String template) {
    List<String> words = List.of(template.trim().split("\\s+"));
    if (template.isBlank()) {
      throw new dptrain.deploy.UsageException("--prefix must not be empty (give e.g. 'ip netns exec {name}')");
    }
    return new RemoteShell(words, false);
  }

  /** The command that runs {@code script} with sh on {@code host}. */
  public List<String> command(Host host, String script) {
    List<String> command = new ArrayList<>();
    for (String word : prefix) {
      command.add(word.replace("{name}", host.name()).replace("{address}", host.address()));
    }
    if (ssh) {
      // ssh hands the remote shell one string: the script travels quoted inside it.
      command.add(host.address());
      command.add("sh -c " + quote(script));
    } else {
      command.addAll(List.of("sh", "-c", script));
    }
    return command;
  }

  /** What the hosts are reached through, for messages. */
  public String describe() {
    return ssh ? "ssh" : String.join(" ", prefix);
  }

  /** A word for sh: in single quotes, with each single quote written as '\''. */
  public static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
