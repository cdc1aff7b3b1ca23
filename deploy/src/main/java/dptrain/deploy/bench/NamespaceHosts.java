package dptrain.deploy.bench;

import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for a benchmark as network namespaces on a bridge of their own (deploy/cluster/netns-hosts.sh,
 * root only), and one job on them: a coordinator host and N worker hosts of K lanes, started by
 * {@code dptrain launch} through {@code ip netns exec}, each node a JVM of its own. Removed on close.
 */
final class NamespaceHosts implements AutoCloseable {
  /** Minutes a launched job may take. */
  private static final long LIMIT_MINUTES = 30;

  private final Path script;
  private final String tag;
  private final int count;
  private final List<String[]> hosts = new ArrayList<>();

  private NamespaceHosts(Path script, String tag, int count) {
    this.script = script;
    this.tag = tag;
    this.count = count;
  }

  /** {@code count} hosts, or a usage error saying why they cannot be made here. */
  static NamespaceHosts create(int count) throws IOException, InterruptedException {
    Path script = repositoryFile("cluster/netns-hosts.sh");
    var hosts = new NamespaceHosts(script, "dpb" + ProcessHandle.current().pid() % 10000, count);
    Process up = new ProcessBuilder(script.toString(), "up", hosts.tag, String.valueOf(count)).redirectErrorStream(true).start();
    String out = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!up.waitFor(60, TimeUnit.SECONDS) || up.exitValue() != 0) {
      hosts.close();
      throw new UsageException("cannot make network-namespace hosts here (root and 'ip netns' needed): " + out.strip());
    }
    out.lines().map(l -> l.split(" ")).filter(w -> w.length == 2).forEach(hosts.hosts::add);
    return hosts;
  }

  /** A file of the repository's deploy folder, found from where this class was loaded (deploy/target/...). */
  private static Path repositoryFile(String relative) {
    try {
      Path loadedFrom = Path.of(NamespaceHosts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path file = loadedFrom.getParent().getParent().resolve(relative);
      if (!Files.isExecutable(file)) {
        throw new UsageException("--on netns needs " + relative + " of the dptrain checkout (looked in " + file + ")");
      }
      return file;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trains on the coordinator host and {@code nodes} worker hosts of {@code lanes}; null after printing why it failed. */
  MeasuredRun train(String what, Path runDir, int nodes, int lanes, Map<String, Object> keys, List<String> link, int batch)
      throws IOException, InterruptedException {
    StringBuilder file = new StringBuilder(hosts.get(0)[0] + " " + hosts.get(0)[1] + " coordinator,ps\n");
    for (int n = 1; n <= nodes; n++) {
      file.append(hosts.get(n)[0]).append(' ').append(hosts.get(n)[1]).append(" worker,ps slots=").append(lanes).append('\n');
    }
    Path hostsFile = Files.writeString(runDir.resolveSibling(runDir.getFileName() + "-hosts.txt"), file);
    List<String> command = new ArrayList<>(dptrain.deploy.cluster.ChildJvm.dptrain("512m"));
    command.addAll(List.of("launch", "--hosts", hostsFile.toString(), "--insecure", "--prefix", "ip netns exec {name}",
        "--node-memory", "700m", "--run-dir", runDir.toString(), "--java", dptrain.deploy.cluster.ChildJvm.java()));
    command.addAll(link);
    keys.forEach((key, value) -> {
      if (!key.equals("run-dir") && !key.equals("workers") && !key.equals("workers-per-node")) {
        command.addAll(List.of("--" + key, String.valueOf(value)));
      }
    });
    command.addAll(List.of("--checkpoint-epoch-end", "false"));
    Path log = runDir.resolveSibling(runDir.getFileName() + "-launch.log");
    Process launch = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!launch.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES)) {
      launch.destroy();
      launch.waitFor(30, TimeUnit.SECONDS);
      System.out.println(what + " failed: the launch did not end within " + LIMIT_MINUTES + " min (log: " + log + ")");
      return null;
    }
    if (launch.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      System.out.println(what + " failed: the launch ended with exit code " + launch.exitValue() + ": "
          + (lines.isEmpty() ? "" : lines.get(lines.size() - 1)) + " (log: " + log + ")");
      return null;
    }
    var steps = dptrain.deploy.simulate.MeasuredSteps.of(runDir);
    var summary = RunSummary.of(runDir);
    // The coordinator's last line, which the launcher echoes: "final test_loss=... test_accuracy=...".
    double accuracy = Files.readAllLines(log).stream().filter(l -> l.startsWith("final ")).reduce((a, b) -> b)
        .map(l -> l.replaceFirst(".*test_accuracy=([0-9.]+).*", "$1")).filter(v -> v.matches("[0-9.]+"))
        .map(Double::parseDouble).orElse(Double.NaN);
    return new MeasuredRun(batch * 1000.0 / steps.stepMs(), accuracy, (long) summary.number("steps"),
        steps.stepMs(), summary.number("compute_ms"), summary.number("encode_ms"), summary.number("decode_ms"),
        summary.number("apply_ms"), summary.number("gradient_bytes_per_step"));
  }

  @Override
  public void close() throws IOException, InterruptedException {
    Process down = new ProcessBuilder(script.toString(), "down", tag, String.valueOf(count)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    down.waitFor(60, TimeUnit.SECONDS);
  }
}
