package dptrain.deploy.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One trainer run as a cold process, as a user starts it: its output read line by line, each
 * epoch line noted with the wall time since the process started. The process is bounded in time;
 * past it, or when this run ends early, it is ended by its own handle (never by name).
 */
final class PeerProcess {
  private PeerProcess() {}

  /** What one epoch line says; {@code trainSeconds} may be NaN when the trainer prints it elsewhere. */
  record EpochLine(int epoch, double trainSeconds, long samples, double testAccuracy) {}

  /** An epoch as seen from outside: its line and when it came. */
  record Epoch(EpochLine line, double wallSeconds) {}

  /** The epochs seen, and why the process did not end well (null when it did). */
  record Result(List<Epoch> epochs, String failure, List<String> lastLines) {}

  static Result run(List<String> command, Map<String, String> env, Path log, long timeoutSeconds,
      Function<String, Optional<EpochLine>> parse) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    long start = System.nanoTime();
    Process process = builder.start();
    List<Epoch> epochs = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    Thread reader = new Thread(() -> read(process, start, log, parse, epochs, tail), "peer-output");
    reader.start();
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        synchronized (epochs) { // the reader may still be adding lines until the process is ended
          return new Result(List.copyOf(epochs), "did not finish within " + timeoutSeconds + " s", List.copyOf(tail));
        }
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (epochs) {
        String failure = process.exitValue() == 0 ? null : "exited with " + process.exitValue();
        return new Result(List.copyOf(epochs), failure, List.copyOf(tail));
      }
    } finally {
      end(process);
    }
  }

  private static void read(Process process, long start, Path log, Function<String, Optional<EpochLine>> parse,
      List<Epoch> epochs, List<String> tail) {
    try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        var out = java.nio.file.Files.newBufferedWriter(log)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        double wall = (System.nanoTime() - start) / 1e9;
        out.write(line);
        out.newLine();
        synchronized (epochs) {
          parse.apply(line).ifPresent(e -> epochs.add(new Epoch(e, wall)));
          tail.add(line);
          if (tail.size() > 5) {
            tail.remove(0);
          }
        }
      }
    } catch (IOException e) {
      // The process was ended: what was read so far stands.
    }
  }

  /** Ends the process and its children (DDP's ranks): politely, then after a grace period by force. */
  private static void end(Process process) throws InterruptedException {
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    family.add(process.toHandle());
    family.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : family) {
      p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join();
      if (p.isAlive()) {
        p.destroyForcibly();
      }
    }
  }
}
