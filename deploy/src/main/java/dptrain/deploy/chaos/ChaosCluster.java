package dptrain.deploy.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The processes one chaos run trains on: started by the run, watched while the job goes on, and
 * ended by PID (never by name) when it is over.
 */
interface ChaosCluster {
  /** Waits up to {@code millis}; true once the job is over (every process that could run it has exited). */
  boolean ended(long millis) throws InterruptedException;

  /** The exit status of the process that ran the job to its end (0: it finished). */
  int exitValue();

  /** The console output of that process, for the line a stopped run ended with. */
  Path output();

  /** The nodes {@code target} names, in a stable order; fewer than expected while some have not started yet. */
  List<ProcessHandle> nodes(Fault.Target target);

  /** The coordinator's process (its Artery port is one a flood hits). */
  ProcessHandle coordinator();

  /** Starts the wire interceptors' faults (a cluster without interceptors refuses). */
  default void meddle(long seed) {
    throw new UnsupportedOperationException("this cluster has no wire interceptors");
  }

  /** What the wire interceptors did, for the table (empty without them). */
  default String meddled() {
    return "";
  }

  /** Ends every process of the run, and {@code alsoStarted} (a node the fault started again), by PID. */
  void end(List<ProcessHandle> alsoStarted) throws InterruptedException;

  /** Ends {@code processes} by PID, children first: SIGCONT (a stalled one), kill -9, then waits for each. */
  static void endAll(List<ProcessHandle> processes) throws InterruptedException {
    for (ProcessHandle process : processes) {
      if (process.isAlive()) {
        Signals.send("CONT", process);
        process.destroyForcibly();
      }
    }
    for (ProcessHandle process : processes) {
      try {
        process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // gone already, or the kernel is slow to reap it: nothing more to do by PID
      }
    }
  }

  /** Starts one dptrain JVM with its output in {@code log}, one OpenMP thread, as every chaos process. */
  static Process start(List<String> arguments, Path log, List<String> jvmOptions) throws IOException {
    List<String> command = new java.util.ArrayList<>(dptrain.deploy.cluster.ChildJvm.dptrain("1g"));
    command.addAll(1, jvmOptions);
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    return builder.start();
  }
}
