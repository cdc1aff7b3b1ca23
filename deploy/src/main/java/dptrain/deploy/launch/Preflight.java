package dptrain.deploy.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the launcher checks on every host, all hosts at once, each with a time limit, before it
 * starts anything: the host answers through its shell, runs Java 17 or newer, holds the same
 * dptrain jar and the same data files as here (by SHA-256), has the node's port free, and has a
 * TLS folder its node would accept (checked by dptrain itself there, with the node's own
 * checks). Each problem is one line naming the host.
 */
public final class Preflight {
  private static final Pattern JAVA_VERSION = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?");
  private static final int MIN_JAVA = 17;

  /** One thing wrong with one host. */
  public record Problem(Host host, String what) {
    @Override
    public String toString() {
      return host.name() + " (" + host.address() + "): " + what;
    }
  }

  private final RemoteShell shell;
  private final Distribution distribution;
  private final Map<Path, String> data;
  /** A host's TLS folder there, or null without TLS. */
  private final java.util.function.Function<Host, String> tlsFolder;
  private final Duration limit;
  /** The ports a host's processes will listen on. */
  private final java.util.function.Function<Host, List<Integer>> ports;

  public Preflight(RemoteShell shell, Distribution distribution, Map<Path, String> data,
      java.util.function.Function<Host, String> tlsFolder, Duration limit, java.util.function.Function<Host, List<Integer>> ports) {
    this.shell = shell;
    this.distribution = distribution;
    this.data = data;
    this.tlsFolder = tlsFolder;
    this.limit = limit;
    this.ports = ports;
  }

  /** Every problem of every host, in the hosts' order; none when all is well. */
  public List<Problem> check(List<Host> hosts) {
    // Threads of its own, three per host (the check and its two output readers): each of them
    // mostly waits, and a shared pool the size of the cores would queue hosts, or readers behind
    // the checks that wait for them.
    ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "preflight");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<CompletableFuture<List<Problem>>> checks = hosts.stream()
          .map(host -> CompletableFuture.supplyAsync(() -> check(host, threads), threads)).toList();
      List<Problem> problems = new ArrayList<>();
      checks.forEach(check -> problems.addAll(check.join()));
      return problems;
    } finally {
      threads.shutdownNow();
    }
  }

  private List<Problem> check(Host host, ExecutorService threads) {
    List<Problem> problems = new ArrayList<>();
    Answer answer = ask(host, script(host), threads);
    if (answer.failure() != null) {
      problems.add(new Problem(host, answer.failure()));
      return problems;
    }
    Map<String, String> facts = answer.facts();
    if (!"ok".equals(facts.get("reach"))) {
      problems.add(new Problem(host, "unreachable through " + shell.describe() + ": " + answer.lastError()));
      return problems;
    }
    String java = facts.getOrDefault("java", "");
    Matcher version = JAVA_VERSION.matcher(java);
    int major = !version.find() ? -1 : Integer.parseInt(version.group(1)) == 1 && version.group(2) != null
        ? Integer.parseInt(version.group(2)) : Integer.parseInt(version.group(1));
    if (major < MIN_JAVA) {
      problems.add(new Problem(host, "needs Java " + MIN_JAVA + " or newer as '" + distribution.java() + "', found "
          + (java.isBlank() ? "none" : "'" + java.strip() + "'")));
      return problems;
    }
    if (distribution.jarSha256() != null && !distribution.jarSha256().equals(facts.get("jar"))) {
      problems.add(new Problem(host, "missing".equals(facts.get("jar")) ? distribution.classPath() + " is missing"
          : distribution.classPath() + " is another build (SHA-256 " + abbreviated(facts.get("jar")) + ", here "
              + abbreviated(distribution.jarSha256()) + ")"));
    }
    int index = 0;
    for (var file : data.entrySet()) {
      String theirs = facts.get("data" + index++);
      if (!file.getValue().equals(theirs)) {
        problems.add(new Problem(host, "missing".equals(theirs) ? "training data " + file.getKey() + " is missing"
            : "training data " + file.getKey() + " differs from the launcher's (SHA-256 " + abbreviated(theirs) + ", here "
                + abbreviated(file.getValue()) + ")"));
      }
    }
    for (int port : ports.apply(host)) {
      if ("busy".equals(facts.get("port" + port))) {
        problems.add(new Problem(host, "port " + port + " is already in use there"));
      }
    }
    String tls = facts.get("tls");
    if (tlsFolder.apply(host) != null && (tls == null || !tls.startsWith("ok"))) {
      problems.add(new Problem(host, tls == null ? "its TLS folder could not be checked" : tls.replaceFirst("^error: ", "")));
    }
    return problems;
  }

  /** One round trip: every fact as a KEY=VALUE line. */
  private String script(Host host) {
    StringBuilder script = new StringBuilder("echo reach=ok\n");
    script.append("echo \"java=$(").append(RemoteShell.quote(distribution.java())).append(" -version 2>&1 | head -n 1)\"\n");
    if (distribution.jarSha256() != null) {
      script.append(sum("jar", distribution.classPath()));
    }
    int index = 0;
    for (Path file : data.keySet()) {
      script.append(sum("data" + index++, file.toString()));
    }
    for (int port : ports.apply(host)) {
      script.append("if command -v ss >/dev/null 2>&1; then if [ -n \"$(ss -ltnH 'sport = :").append(port)
          .append("')\" ]; then echo port").append(port).append("=busy; else echo port").append(port).append("=free; fi; fi\n");
    }
    String folder = tlsFolder.apply(host);
    if (folder != null) {
      script.append("echo \"tls=$(").append(distribution.command("256m", List.of("check-tls", "--tls", folder, "--host",
          host.address()))).append(" 2>&1 | tail -n 1)\"\n");
    }
    return script.toString();
  }

  private static String sum(String key, String file) {
    String quoted = RemoteShell.quote(file);
    return "if [ -r " + quoted + " ]; then echo \"" + key + "=$(sha256sum " + quoted + " | cut -d ' ' -f 1)\"; else echo "
        + key + "=missing; fi\n";
  }

  private record Answer(Map<String, String> facts, String lastError, String failure) {}

  private Answer ask(Host host, String script, ExecutorService threads) {
    Process process;
    try {
      process = new ProcessBuilder(shell.command(host, script)).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
    } catch (IOException e) {
      return new Answer(Map.of(), "", "cannot run " + shell.describe() + ": " + e.getMessage());
    }
    try {
      var out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()), threads);
      var err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()), threads);
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        // Its own process only: the shell's children on the host end with their connection.
        process.destroyForcibly();
        return new Answer(Map.of(), "", "no answer through " + shell.describe() + " within " + limit.toSeconds() + " s");
      }
      Map<String, String> facts = new HashMap<>();
      for (String line : out.join().split("\n")) {
        int at = line.indexOf('=');
        if (at > 0) {
          facts.putIfAbsent(line.substring(0, at), line.substring(at + 1));
        }
      }
      List<String> errors = err.join().lines().filter(l -> !l.isBlank()).toList();
      return new Answer(facts, errors.isEmpty() ? "exit code " + process.exitValue() : errors.get(errors.size() - 1), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new Answer(Map.of(), "", "interrupted");
    }
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static java.io.File nullFile() {
    return new java.io.File("/dev/null");
  }

  private static String abbreviated(String sum) {
    return sum == null ? "unknown" : sum.substring(0, Math.min(12, sum.length()));
  }
}
