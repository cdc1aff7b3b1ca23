package dptrain.deploy.launch;

import dptrain.deploy.train.TrainCommandTest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@code dptrain launch} run in the background with a time limit. A launch follows its
 * coordinator for as long as the job lasts; a test that waited on it unbounded would hang the
 * suite if the job never ended. On overrun this says what each node was doing (the tail of its
 * log and a thread dump of every JVM in the hosts' namespaces, into target/), interrupts the
 * launch (which stops every node it started) and fails.
 */
final class BoundedLaunch {
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "bounded-launch");
    t.setDaemon(true);
    return t;
  });
  private final Future<TrainCommandTest.Run> run;
  private final Path runDir;
  private final NetnsHosts hosts;
  // The stream tests print to: the launch replaces System.err with its capture while it runs.
  private final PrintStream console = System.err;

  private BoundedLaunch(Path runDir, NetnsHosts hosts, String... args) {
    this.runDir = runDir;
    this.hosts = hosts;
    this.run = thread.submit(() -> TrainCommandTest.run(args));
  }

  /** Starts {@code dptrain ARGS}; {@code runDir} is its --run-dir, {@code hosts} the namespaces its nodes run in. */
  static BoundedLaunch start(Path runDir, NetnsHosts hosts, String... args) {
    return new BoundedLaunch(runDir, hosts, args);
  }

  /** The launch's result, or a failure with the diagnosis once {@code limit} has passed. */
  TrainCommandTest.Run await(Duration limit) throws Exception {
    try {
      return run.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException overrun) {
      Path dumps = diagnose();
      run.cancel(true);
      thread.shutdown();
      boolean stopped = thread.awaitTermination(90, TimeUnit.SECONDS);
      throw new AssertionError("the launch had not ended after " + limit.toSeconds() + " s" + (stopped ? "" : " (nor 90 s after"
          + " its interrupt)") + "; node logs above, thread dumps in " + dumps);
    } finally {
      thread.shutdown();
    }
  }

  private Path diagnose() throws IOException, InterruptedException {
    Path logs = runDir.resolve("logs");
    if (Files.isDirectory(logs)) {
      try (var files = Files.list(logs)) {
        for (Path log : files.sorted().toList()) {
          List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
          console.println("---- last lines of " + log.getFileName() + " (" + lines.size() + " lines)");
          lines.subList(Math.max(0, lines.size() - 25), lines.size()).forEach(console::println);
        }
      }
    }
    Path dumps = Path.of("target", "launch-overrun-" + System.currentTimeMillis() + ".txt").toAbsolutePath();
    Files.createDirectories(dumps.getParent());
    Path pids = Files.createTempFile("netns-pids", ".txt");
    for (int k = 1; k <= hosts.count; k++) {
      run(pids, false, "ip", "netns", "pids", hosts.name(k));
      for (long pid : Files.readAllLines(pids).stream().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList()) {
        String command = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("?");
        Files.writeString(dumps, "==== " + hosts.name(k) + " pid " + pid + ": " + command.substring(0, Math.min(300,
            command.length())) + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (command.contains("java")) {
          run(dumps, true, "jcmd", String.valueOf(pid), "Thread.print");
        }
      }
    }
    Files.deleteIfExists(pids);
    return dumps;
  }

  /** Runs {@code command} for at most 30 s, its output into {@code file} (appended or replacing it). */
  private static void run(Path file, boolean append, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(file.toFile()) : ProcessBuilder.Redirect.to(file.toFile()))
        .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
