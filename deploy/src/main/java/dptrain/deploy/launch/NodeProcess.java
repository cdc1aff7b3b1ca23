package dptrain.deploy.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One node the launcher started on a host: the node runs in a session of its own there (so a
 * Ctrl-C here reaches the launcher alone, and the node's whole process group can be ended), and
 * every line it prints goes to {@code logs/HOST.log} here, and to the console when asked. It
 * ends cleanly: TERM to its process group, a grace period, then KILL, through the same shell.
 */
final class NodeProcess {
  private static final String PID_LINE = "dptrain-node-pid ";

  private final Host host;
  private final String role;
  private final RemoteShell shell;
  private final Process process;
  private final CompletableFuture<Long> pid = new CompletableFuture<>();
  private final CompletableFuture<String> awaited = new CompletableFuture<>();
  private volatile String lastLine = "";
  private final Predicate<String> ready;

  private NodeProcess(Host host, String role, RemoteShell shell, Process process, Predicate<String> ready) {
    this.host = host;
    this.role = role;
    this.shell = shell;
    this.process = process;
    this.ready = ready;
  }

  /**
   * Starts {@code command} (sh words) on {@code host}, its output into {@code log} and, with
   * {@code echo}, onto it; {@code ready} tells the line that says the node is up.
   */
  static NodeProcess start(Host host, String role, RemoteShell shell, String command, Path log, PrintStream echo,
      Predicate<String> ready) throws IOException {
    // A new session, and in it a shell that prints its PID and then becomes the node: that PID
    // is the node's and its process group's. setsid forks when its caller leads a process group
    // (an ssh session's shell does), and -w keeps it waiting for the node, so this process lasts
    // as long as the node and ends with its exit code.
    String inner = "echo " + PID_LINE + "$$; exec " + command + " 2>&1";
    String script = "exec setsid -w sh -c " + RemoteShell.quote(inner);
    Process process = new ProcessBuilder(shell.command(host, script)).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    NodeProcess node = new NodeProcess(host, role, shell, process, ready);
    Thread copier = new Thread(() -> node.copyOutput(log, echo), "log-" + host.name());
    copier.setDaemon(true);
    copier.start();
    return node;
  }

  private void copyOutput(Path log, PrintStream echo) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (!pid.isDone() && line.startsWith(PID_LINE)) {
          pid.complete(Long.parseLong(line.substring(PID_LINE.length()).trim()));
          continue;
        }
        out.write(line);
        out.write('\n');
        out.flush();
        lastLine = line;
        if (echo != null) {
          echo.println(line);
        }
        if (ready.test(line)) {
          awaited.complete(line);
        }
      }
    } catch (IOException | NumberFormatException e) {
      lastLine = "(log copy failed: " + e.getMessage() + ")";
    } finally {
      pid.complete(-1L);
      awaited.complete(null);
    }
  }

  Host host() {
    return host;
  }

  String role() {
    return role;
  }

  String lastLine() {
    return lastLine;
  }

  /** The line that said the node is up, or null when the node ended first or {@code limit} passed. */
  String awaitReady(Duration limit) throws InterruptedException {
    try {
      return awaited.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      return null;
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Runs {@code then} with the exit code when the node's process ends. */
  void onExit(java.util.function.IntConsumer then) {
    process.onExit().thenAccept(p -> then.accept(p.exitValue()));
  }

  /** Its exit code, waiting at most {@code limit}; null while it still runs. */
  Integer awaitExit(Duration limit) throws InterruptedException {
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** TERM to the node's process group, {@code grace} to end, then KILL; returns whether it had to be killed. */
  boolean stop(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return false;
    }
    Long group = pid.getNow(null);
    if (group == null || group <= 0) {
      process.destroyForcibly();
      return true;
    }
    signal("TERM", group);
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return false;
    }
    signal("KILL", group);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return true;
  }

  private void signal(String signal, long group) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder(shell.command(host, "kill -" + signal + " -" + group + " 2>/dev/null || true"))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    }
  }
}
