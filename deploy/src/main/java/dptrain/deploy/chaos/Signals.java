package dptrain.deploy.chaos;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Provokes a fault by signals to node processes, by PID only. */
final class Signals {
  private static final Duration SHORT_STALL = Duration.ofSeconds(1);
  private static final Duration LONG_STALL = Duration.ofSeconds(12);
  /** A straggler runs 10 ms of every 60: several times slower than its peer, at every step (a step takes about 10 ms). */
  private static final Duration STRAGGLE_STOPPED = Duration.ofMillis(50);
  private static final Duration STRAGGLE_RUNNING = Duration.ofMillis(10);
  private static final int STRAGGLE_CYCLES = 100;

  private Signals() {}

  /** The fault, on these nodes; a node started again goes into {@code started} (for the caller to end). */
  static void provoke(Fault fault, List<ProcessHandle> victims, List<ProcessHandle> started, java.nio.file.Path logDir) {
    try {
      switch (fault) {
        case KILL_WORKER, KILL_TWO_WORKERS, KILL_COORDINATOR, KILL_STANDBY -> victims.forEach(ProcessHandle::destroyForcibly);
        case KILL_AND_RESTART -> restart(victims.get(0), started, logDir);
        case SHORT_STALL -> stall(victims.get(0), SHORT_STALL);
        case LONG_STALL -> stall(victims.get(0), LONG_STALL);
        case STRAGGLER -> straggle(victims.get(0));
        case DISK_FULL, GARBAGE_FLOOD, WIRE_FAULTS -> throw new IllegalArgumentException(fault.label() + " is not provoked by signals");
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

  /** The straggler's duty cycle, by one shell that sends every signal (a process per signal would be too slow). */
  private static void straggle(ProcessHandle victim) throws IOException, InterruptedException {
    Process shell = new ProcessBuilder("bash", "-c", "while read -r signal pid; do kill -\"$signal\" \"$pid\"; done")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try (var signals = new java.io.PrintWriter(shell.getOutputStream(), true)) {
      for (int cycle = 0; cycle < STRAGGLE_CYCLES && victim.isAlive(); cycle++) {
        signals.println("STOP " + victim.pid());
        Thread.sleep(STRAGGLE_STOPPED.toMillis()); // the duty cycle is the fault's shape, not a wait for something
        signals.println("CONT " + victim.pid());
        Thread.sleep(STRAGGLE_RUNNING.toMillis());
      }
    } finally {
      shell.waitFor(5, TimeUnit.SECONDS);
      shell.destroyForcibly();
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
