package dptrain.deploy.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts simulated with network namespaces (deploy/cluster/netns-hosts.sh): real addresses on a
 * bridge of their own, joined to no real interface. Null from {@link #create} where this
 * machine cannot make them (not root, no ip netns), with the reason in {@link #unavailable}.
 */
final class NetnsHosts implements AutoCloseable {
  static final Path SCRIPT = Path.of("cluster/netns-hosts.sh").toAbsolutePath();
  static String unavailable;

  final String tag;
  final int count;
  /** "NAME ADDRESS" per host. */
  final List<String[]> hosts = new ArrayList<>();

  private NetnsHosts(String tag, int count) {
    this.tag = tag;
    this.count = count;
  }

  /** {@code suffix}: one letter, different for each set of hosts alive at once in one JVM. */
  static NetnsHosts create(int count, char suffix) throws Exception {
    // A tag of this test JVM's own, so that parallel runs never share a bridge.
    String tag = "dpt" + (ProcessHandle.current().pid() % 10_000) + suffix;
    NetnsHosts created = new NetnsHosts(tag, count);
    var up = run("up", tag, String.valueOf(count));
    if (up.code() != 0) {
      run("down", tag, String.valueOf(count));
      unavailable = "network namespaces are unavailable here (" + up.output().strip() + ")";
      return null;
    }
    for (String line : up.output().strip().split("\n")) {
      created.hosts.add(line.split(" "));
    }
    return created;
  }

  /** {@link #create}, or the calling test class skipped, saying why on stderr too. */
  static NetnsHosts createOrSkip(int count, char suffix, String test) throws Exception {
    NetnsHosts created = create(count, suffix);
    if (created == null) {
      System.err.println("SKIPPED " + test + ": " + unavailable);
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(created != null, () -> unavailable);
    return created;
  }

  /** A hosts file with host k's name, address and {@code lines[k - 1]} (its roles and options) on line k. */
  java.nio.file.Path hostsFile(java.nio.file.Path file, String... lines) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int k = 1; k <= lines.length; k++) {
      text.append(name(k)).append(' ').append(address(k)).append(' ').append(lines[k - 1]).append('\n');
    }
    return java.nio.file.Files.writeString(file, text);
  }

  String name(int k) {
    return hosts.get(k - 1)[0];
  }

  String address(int k) {
    return hosts.get(k - 1)[1];
  }

  /** Every host's node log in {@code run} says it ran over TLS as that host. */
  void assertEveryLogShowsItsCertificate(Path run) throws IOException {
    for (String[] host : hosts) {
      org.assertj.core.api.Assertions.assertThat(java.nio.file.Files.readString(run.resolve("logs").resolve(host[0] + ".log")))
          .as("log of %s", host[0]).contains("TLS: this node is CN=" + host[0]);
    }
  }

  void cut(int k) throws Exception {
    run("cut", tag, String.valueOf(k));
  }

  void rejoin(int k) throws Exception {
    run("join", tag, String.valueOf(k));
  }

  /** Hosts {@code ks} onto a bridge of their own: two sides that cannot reach each other. */
  void split(int... ks) throws Exception {
    check(run("split", tag, list(ks)));
  }

  void heal(int... ks) throws Exception {
    check(run("heal", tag, list(ks)));
  }

  private static String list(int... ks) {
    return java.util.Arrays.stream(ks).mapToObj(String::valueOf).collect(java.util.stream.Collectors.joining(","));
  }

  private static void check(Result result) {
    if (result.code() != 0) {
      throw new IllegalStateException("netns-hosts.sh failed (" + result.code() + "): " + result.output());
    }
  }

  @Override
  public void close() throws Exception {
    run("down", tag, String.valueOf(count));
  }

  record Result(int code, String output) {}

  static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(124, "netns-hosts.sh " + String.join(" ", args) + " did not finish within 60 s");
    }
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
