package dptrain.deploy.chaos;

import dptrain.deploy.dashboard.RunFeed;
import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One training run of the chaos suite on a cluster of local processes ({@code train --processes},
 * or separate coordinator, standby and worker nodes for the faults that need them), with at most
 * one fault provoked in it. Follows the run's metrics.jsonl to time the fault and the recovery,
 * and ends every process it started (the run, its nodes, a restarted node) by PID when done or
 * out of time.
 */
final class ChaosRun {
  /** How a run went: how it ended, what the cluster did after the fault, when it was past it again. */
  record Outcome(String name, FaultSchedule.Planned fault, boolean completed, String ended, String reaction,
      double recoverySeconds, Path runDir) {}

  private final Duration limit;

  ChaosRun(Duration limit) {
    this.limit = limit;
  }

  /** Trains with {@code trainArgs} into {@code runDir}, with {@code fault} provoked (null: none). */
  Outcome run(String name, List<String> trainArgs, Path runDir, FaultSchedule.Planned fault)
      throws IOException, InterruptedException {
    DiskFull disk = fault != null && fault.fault() == Fault.DISK_FULL ? DiskFull.mount(runDir.resolve("checkpoints")) : null;
    try {
      return train(name, trainArgs, runDir, fault, disk);
    } finally {
      if (disk != null) {
        disk.close();
      }
    }
  }

  private Outcome train(String name, List<String> trainArgs, Path runDir, FaultSchedule.Planned fault, DiskFull disk)
      throws IOException, InterruptedException {
    Files.createDirectories(runDir.getParent());
    ChaosCluster cluster = fault != null && fault.fault().separateNodes()
        ? NodeProcesses.start(trainArgs, fault.fault().workers(), runDir) : TrainProcesses.start(trainArgs, runDir);
    List<ProcessHandle> started = java.util.Collections.synchronizedList(new ArrayList<>());
    RunFeed feed = new RunFeed(runDir);
    long lastStep = -1;
    boolean checkpointed = false;
    List<String> victimPorts = List.of();
    var flooded = new java.util.concurrent.atomic.AtomicReference<String>();
    long deadline = System.nanoTime() + limit.toNanos();
    CompletableFuture<Void> injection = null;
    Recovery recovery = null;
    List<JsonLine> after = new ArrayList<>();
    try {
      while (!cluster.ended(20)) {
        if (System.nanoTime() > deadline) {
          return new Outcome(name, fault, false, "chaos ended it: not finished within " + limit.toSeconds() + " s",
              then(cluster.meddled(), reaction(after, victimPorts, fault)), recovery == null ? Double.NaN : recovery.seconds(),
              runDir);
        }
        for (JsonLine line : feed.poll()) {
          lastStep = line.type().equals("step") ? (long) line.number("step") : lastStep;
          checkpointed |= line.type().equals("checkpoint");
          if (injection != null) {
            after.add(line);
            recovery.add(line, System.nanoTime());
            if (disk != null) {
              disk.onLine(line);
            }
          }
        }
        // A full disk, or a dead coordinator, comes after a checkpoint was written, so that there is one to go back to.
        if (fault != null && injection == null && lastStep >= fault.atStep() && (!fault.fault().afterCheckpoint() || checkpointed)) {
          List<ProcessHandle> nodes = cluster.nodes(fault.fault().target());
          boolean onWorkers = fault.fault().target() == Fault.Target.WORKER;
          int needed = onWorkers ? fault.victims().stream().mapToInt(Integer::intValue).max().orElse(0) + 1 : 1;
          if (nodes.size() >= needed) {
            recovery = new Recovery(System.nanoTime(), lastStep);
            List<ProcessHandle> victims = onWorkers ? fault.victims().stream().map(nodes::get).toList() : nodes;
            victimPorts = listeningPorts(victims.get(0));
            List<Integer> ports = java.util.stream.Stream.concat(victimPorts.stream(), listeningPorts(cluster.coordinator()).stream())
                .map(Integer::valueOf).toList();
            long seed = fault.atStep();
            injection = CompletableFuture.runAsync(() -> {
              switch (fault.fault()) {
                case DISK_FULL -> disk.fill(victims.get(0));
                case GARBAGE_FLOOD -> flooded.set(Flood.run(ports, seed).describe(ports));
                case WIRE_FAULTS -> cluster.meddle(seed);
                default -> Signals.provoke(fault.fault(), victims, started, runDir.resolve("logs"));
              }
            });
          }
        }
      }
      for (JsonLine line : feed.poll()) {
        if (injection != null) {
          after.add(line);
          recovery.add(line, System.nanoTime());
        }
      }
      if (injection != null) {
        injection.join();
      }
      boolean completed = cluster.exitValue() == 0
          && Files.readString(runDir.resolve("metrics.jsonl")).contains("\"type\":\"summary\"");
      String ended = completed ? "completed" : "stopped (exit " + cluster.exitValue() + "): " + lastLine(cluster.output());
      String reaction = fault == null ? "-" : injection == null ? "not provoked: the run ended first" : reaction(after, victimPorts, fault);
      reaction = then(cluster.meddled(), then(flooded.get(), reaction));
      return new Outcome(name, fault, completed, ended, reaction, recovery == null ? Double.NaN : recovery.seconds(), runDir);
    } finally {
      synchronized (started) {
        cluster.end(List.copyOf(started));
      }
    }
  }

  /** What was done to the cluster (a flood's or the interceptors' account; null or empty: nothing), then how it reacted. */
  private static String then(String done, String reaction) {
    return done == null || done.isEmpty() ? reaction : done + "; then " + reaction;
  }

  /** What the cluster did after the fault, from the events it wrote. */
  private static String reaction(List<JsonLine> after, List<String> victimPorts, FaultSchedule.Planned fault) {
    String victim = fault != null && fault.fault() == Fault.STRAGGLER ? "the stalled node" : "the node the fault hit";
    List<String> parts = new ArrayList<>();
    after.stream().filter(l -> l.type().equals("checkpoint_not_saved")).forEach(l -> parts.add("checkpoint after step "
        + (long) l.number("step") + " not saved (" + l.text("reason") + "), kept " + l.text("kept")));
    long left = after.stream().filter(l -> l.type().equals("worker_left")).count();
    if (left > 0) {
      parts.add(left + " worker(s) left");
    }
    after.stream().filter(l -> l.type().equals("takeover")).forEach(l -> parts.add("the standby took the job over from "
        + ((long) l.number("step") == 0 ? "the start" : "the checkpoint after step " + (long) l.number("step"))));
    after.stream().filter(l -> l.type().equals("rollback")).forEach(l -> parts.add("rolled back " + (long) l.number("from_step")
        + "->" + (long) l.number("to_step")));
    after.stream().filter(l -> l.type().equals("workers_joined")).forEach(l -> parts.add("joined after step "
        + (long) l.number("step") + " (" + (long) l.number("workers") + " workers)"));
    if (fault != null && fault.fault() == Fault.KILL_AND_RESTART && after.stream().noneMatch(l -> l.type().equals("workers_joined"))) {
      // A node takes seconds to start; a short run can end before the next pause admits it.
      parts.add("the restarted node had not joined when the run ended");
    }
    // Whether a straggler is the node the fault hit can be said only of a fault on one worker node.
    boolean oneWorker = fault != null && fault.fault().target() == Fault.Target.WORKER && fault.fault() != Fault.WIRE_FAULTS;
    java.util.function.Function<JsonLine, String> who = l -> !oneWorker ? "node " + l.text("node")
        : victimPorts.stream().anyMatch(p -> l.text("node").endsWith(":" + p)) ? victim : "another node (" + l.text("node") + ")";
    after.stream().filter(l -> l.type().equals("straggler")).forEach(l -> parts.add(l.has("dropped_in")
        ? String.format(java.util.Locale.ROOT, "named %s the straggler (its micro-batch dropped in %d of %d steps)",
            who.apply(l), (long) l.number("dropped_in"), (long) l.number("of"))
        : String.format(java.util.Locale.ROOT, "named %s the straggler (%.0f%% of the waiting in %d steps, %.1f ms per step)",
            who.apply(l), 100 * l.number("share"), (long) l.number("of"), l.number("ms_per_step"))));
    long resent = after.stream().filter(l -> l.type().equals("resent")).count();
    if (resent > 0) {
      parts.add(resent + " step(s) re-sent");
    }
    return parts.isEmpty() ? "waited, went on" : String.join("; ", parts);
  }

  /** The TCP ports a node process listens on (its Artery port among them), from ss. */
  private static List<String> listeningPorts(ProcessHandle node) {
    try {
      Process ss = new ProcessBuilder("ss", "-Htlnp").redirectErrorStream(true).start();
      String listing = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      ss.waitFor(5, TimeUnit.SECONDS);
      var port = java.util.regex.Pattern.compile(":(\\d+)\\s.*pid=" + node.pid() + ",");
      return listing.lines().map(port::matcher).filter(java.util.regex.Matcher::find).map(m -> m.group(1)).toList();
    } catch (IOException e) {
      return List.of(); // no ss: the table cannot say which node a straggler is
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static String lastLine(Path out) throws IOException {
    List<String> lines = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
  }
}
