package dptrain.deploy.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chaos run's cluster as {@code train --processes} makes it: the coordinator in the run's own
 * JVM, each worker node (with its shard) in a child JVM of it, which ends with it.
 */
final class TrainProcesses implements ChaosCluster {
  private final Process train;
  private final Path out;

  private TrainProcesses(Process train, Path out) {
    this.train = train;
    this.out = out;
  }

  /** Starts {@code train} with {@code trainArgs} (which hold --processes) into {@code runDir}. */
  static TrainProcesses start(List<String> trainArgs, Path runDir) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("train"));
    arguments.addAll(trainArgs);
    arguments.addAll(List.of("--run-dir", runDir.toString()));
    Path out = runDir.resolveSibling(runDir.getFileName() + ".out");
    return new TrainProcesses(ChaosCluster.start(arguments, out, List.of()), out);
  }

  @Override
  public boolean ended(long millis) throws InterruptedException {
    return train.waitFor(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public int exitValue() {
    return train.exitValue();
  }

  @Override
  public Path output() {
    return out;
  }

  /** The worker node JVMs, in PID order; no coordinator or standby node of their own. */
  @Override
  public List<ProcessHandle> nodes(Fault.Target target) {
    if (target != Fault.Target.WORKER) {
      return List.of();
    }
    return train.toHandle().children().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .sorted(Comparator.comparingLong(ProcessHandle::pid)).toList();
  }

  @Override
  public ProcessHandle coordinator() {
    return train.toHandle();
  }

  @Override
  public void end(List<ProcessHandle> alsoStarted) throws InterruptedException {
    List<ProcessHandle> all = new ArrayList<>(train.toHandle().descendants().toList());
    all.addAll(alsoStarted);
    all.add(train.toHandle());
    ChaosCluster.endAll(all);
  }
}
