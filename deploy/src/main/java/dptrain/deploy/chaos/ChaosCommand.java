package dptrain.deploy.chaos;

import dptrain.deploy.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain chaos}: trains one small job cleanly and then once per fault of a seeded
 * schedule, each on a local cluster of worker node processes, and prints what each fault did and
 * whether the run still applied every planned row exactly once, with the clean run's bits.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
    description = {"Breaks a training run on purpose and shows that nothing was lost. Trains a small job (spirals, "
        + "2-16:tanh-2, 2 worker node processes that also hold the shards (4 for kill-two-workers), synchronous with "
        + "--reduction-groups 4 unless --mode says otherwise) once cleanly, then once per fault, provoked after a step "
        + "drawn from --seed: by signals to a node's PID, by filling the checkpoints' disk, or by connections to "
        + "Artery's ports on 127.0.0.1. Each run is then checked as Jepsen's set checker does: every step the "
        + "Coordinator planned is in the run's final lineage once, with exactly its planned rows (their digest), and "
        + "(sync) the final parameters equal the clean run's bit for bit. Prints a Markdown table; exits 0 when every "
        + "run passes, 1 otherwise.",
        "", "Faults: kill-worker, kill-two-workers, kill-and-restart, short-stall, long-stall, straggler, disk-full, "
        + "garbage-flood, kill-coordinator, kill-standby, wire-faults. The last three run on separate processes (a "
        + "coordinator, a standby coordinator and the worker nodes, each behind an interceptor on the wire that, for "
        + "wire-faults, drops, duplicates, reorders and delays Artery's frames). The short suite (the default) "
        + "provokes disk-full, long-stall, kill-coordinator and wire-faults; --long provokes all eleven. "
        + "disk-full mounts a tmpfs, so it needs root; without root it is left out, saying so.",
        "", "Examples:", "  dptrain chaos --seed 7 --long", "  dptrain chaos --mode ssp --faults kill-two-workers,long-stall"})
public final class ChaosCommand implements Callable<Integer> {
  /** A full disk with a kill in it stands for the plain kill too: its kill is provoked the same way. */
  private static final List<Fault> SHORT = List.of(Fault.DISK_FULL, Fault.LONG_STALL, Fault.KILL_COORDINATOR,
      Fault.WIRE_FAULTS);
  /** Every run sums each batch in 4 canonical groups: 4, 2 or 1 workers give the same bits. */
  private static final int REDUCTION_GROUPS = 4;
  private static final int CLEAN_WORKERS = 2;
  private static final int EPOCHS = 12;
  private static final int BATCH = 60;
  private static final int ROWS = 1000;

  @Option(names = "--seed", paramLabel = "S", description = "Seed of the fault schedule and of the job (default 1).")
  long seed = 1;

  @Option(names = "--long", description = "Every fault, not only the short suite's four.")
  boolean longSuite;

  @Option(names = "--faults", split = ",", paramLabel = "FAULT",
      description = "Only these faults (comma-separated names, see above), instead of the suite's.")
  List<String> faults;

  @Option(names = "--out", paramLabel = "DIR", description = "Where the runs' folders go (default runs/chaos-TIME).")
  Path out;

  @Option(names = "--mode", paramLabel = "MODE", description = "Consistency mode of every run: sync (the default), "
      + "async, ssp (staleness 2) or backup (one backup worker: a step closes without its last micro-batch; the shards "
      + "on the coordinator's node). The rows check is the same in every mode, with backup's dropped micro-batches counted as drops, not losses; the bits "
      + "of async, ssp and backup depend on timing, so they are not compared with the clean run's.")
  String mode = "sync";

  @Option(names = "--run-limit", paramLabel = "SECONDS", description = "Longest a run may take before it counts as "
      + "hung and is ended (default 240).")
  int runLimit = 240;

  @Override
  public Integer call() throws Exception {
    List<Fault> chosen = chosenFaults();
    if (chosen.contains(Fault.DISK_FULL) && !DiskFull.available()) {
      System.out.println("chaos: disk-full left out: it mounts a tmpfs, which needs root");
      chosen = chosen.stream().filter(f -> f != Fault.DISK_FULL).toList();
    }
    if (!List.of("sync", "async", "ssp", "backup").contains(mode)) {
      throw new UsageException("--mode must be sync, async, ssp or backup, not '" + mode + "'");
    }
    if (runLimit < 30) {
      throw new UsageException("--run-limit must be at least 30 s, not " + runLimit);
    }
    Path dir = out != null ? out : Path.of("runs", "chaos-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern(
        "yyyyMMdd-HHmmss")));
    Files.createDirectories(dir);
    long steps = (long) EPOCHS * ((ROWS + BATCH - 1) / BATCH);
    FaultSchedule schedule = FaultSchedule.draw(seed, chosen, steps);
    ChaosRun runs = new ChaosRun(Duration.ofSeconds(runLimit));
    AppliedRowsCheck check = new AppliedRowsCheck(seed, true);
    ChaosTable table = new ChaosTable();

    System.out.println("chaos: seed " + seed + ", " + mode + ", " + chosen.size() + " fault(s), runs in " + dir);
    var clean = runs.run("none (clean run)", jobArgs(CLEAN_WORKERS, false), dir.resolve("clean"), null);
    table.add(new ChaosTable.Row(clean, clean.completed() ? check.check(clean.runDir()) : null, null));
    byte[] cleanBits = clean.completed() && mode.equals("sync") ? Files.readAllBytes(clean.runDir().resolve("params.npy"))
        : null;
    for (var planned : schedule.faults()) {
      System.out.println("chaos: " + planned.fault().label() + " (" + planned.fault().description() + ") after step "
          + planned.atStep());
      var outcome = runs.run(planned.fault().label(), jobArgs(planned.fault().workers(), planned.fault().shardsOnCoordinator()),
          dir.resolve(planned.fault().label()), planned);
      RowsVerdict verdict = outcome.completed() ? check.check(outcome.runDir()) : null;
      Boolean same = outcome.completed() && cleanBits != null
          ? Arrays.equals(cleanBits, Files.readAllBytes(outcome.runDir().resolve("params.npy"))) : null;
      table.add(new ChaosTable.Row(outcome, verdict, same));
    }
    System.out.println();
    table.print(System.out);
    boolean passed = table.rows().stream().allMatch(r -> r.outcome().completed() && r.verdict() != null && r.verdict().exact()
        && !Boolean.FALSE.equals(r.sameBits()));
    System.out.println();
    System.out.println(passed ? "chaos: every run completed, no sample lost or counted twice"
        + (cleanBits != null ? ", the clean run's bits" : "") : "chaos: FAILED (see the table)");
    return passed ? 0 : 1;
  }

  private List<Fault> chosenFaults() {
    if (faults == null || faults.isEmpty()) {
      return longSuite ? List.of(Fault.values()) : SHORT;
    }
    List<Fault> named = new ArrayList<>();
    for (String name : faults) {
      named.add(Arrays.stream(Fault.values()).filter(f -> f.label().equals(name.trim())).findFirst()
          .orElseThrow(() -> new UsageException("unknown fault '" + name + "'; the faults are " + String.join(", ",
              Arrays.stream(Fault.values()).map(Fault::label).toList()))));
    }
    return named;
  }

  /** The job every run trains: small, checkpointed often; synchronous, the same bits for any worker count up to 4. */
  private List<String> jobArgs(int workers, boolean shardsOnCoordinator) {
    List<String> args = new ArrayList<>(List.of("--processes", "--workers", String.valueOf(workers), "--data",
        "synthetic:spirals", "--model", "2-16:tanh-2", "--batch", String.valueOf(BATCH), "--epochs", String.valueOf(EPOCHS),
        "--seed", String.valueOf(seed), "--checkpoint-every", "40", "--no-dashboard", "--quiet", "--mode", mode));
    if (mode.equals("sync")) {
      args.addAll(List.of("--reduction-groups", String.valueOf(REDUCTION_GROUPS)));
    } else if (mode.equals("ssp")) {
      args.addAll(List.of("--staleness", "2"));
    } else if (mode.equals("backup")) {
      // The shards on the coordinator's node (below): a stalled worker node then holds up only its
      // own micro-batch, which backup can drop; a shard on it would hold up every step.
      args.addAll(List.of("--backup-workers", "1"));
    }
    if (shardsOnCoordinator || mode.equals("backup")) {
      args.addAll(List.of("--ps-placement", "coordinator"));
    }
    return args;
  }
}
