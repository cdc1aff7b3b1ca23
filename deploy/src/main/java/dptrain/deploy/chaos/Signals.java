package dptrain.deploy.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Provokes a fault by signals to worker node processes, by PID only. */
final class Signals {
  private static final Duration SHORT_STALL = Duration.ofSeconds(1);
  private static final Duration LONG_STALL = Duration.ofSeconds(12);
  private static final Duration STRAGGLE_HALF_CYCLE = Duration.ofMillis(40);
  private static final int STRAGGLE_CYCLES = 50;

  private Signals() {}

  /** The fault, on these nodes; a node started again goes into {@code started} (for the caller to end). */
  static void provoke(Fault fault, List<ProcessHandle> victims, List<ProcessHandle> started, java.nio.file.Path logDir) {
    try {
      switch (fault) {
        case KILL_WORKER, KILL_TWO_WORKERS -> victims.forEach(ProcessHandle::destroyForcibly);
        case KILL_AND_RESTART -> restart(victims.get(0), started, logDir);
        case SHORT_STALL -> stall(victims.get(0), SHORT_STALL);
        case LONG_STALL -> stall(victims.get(0), LONG_STALL);
        case STRAGGLER -> {
          for (int cycle = 0; cycle < STRAGGLE_CYCLES && victims.get(0).isAlive(); cycle++) {
            stall(victims.get(0), STRAGGLE_HALF_CYCLE);
            Thread.sleep(STRAGGLE_HALF_CYCLE.toMillis()); // the running half of the straggler's duty cycle
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** SIGSTOP, the stall, SIGCONT (the stall is the fault's length, not a wait for something). */
  private static void stall(ProcessHandle victim, Duration length) throws InterruptedException {
    send("STOP", victim);
    try {
      Thread.sleep(length.toMillis());
    } finally {
      send("CONT", victim);
    }
  }

  /** kill -9, then the same node's command line started again: a fresh node that joins the cluster. */
  private static void restart(ProcessHandle victim, List<ProcessHandle> started, java.nio.file.Path logDir)
      throws IOException {
    var info = victim.info();
    List<String> command = new ArrayList<>();
    command.add(info.command().orElseThrow(() -> new IOException("cannot read the command of node " + victim.pid())));
    command.addAll(List.of(info.arguments().orElseThrow(() -> new IOException("cannot read the arguments of node "
        + victim.pid()))));
    victim.destroyForcibly();
    victim.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> victim).join();
    java.nio.file.Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logDir.resolve("restarted-worker.log").toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    synchronized (started) {
      started.add(builder.start().toHandle());
    }
  }

  static void send(String signal, ProcessHandle process) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
