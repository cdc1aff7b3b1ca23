package dptrain.deploy.chaos;

import dptrain.coordinator.plan.EpochPlan;
import dptrain.deploy.report.JsonLine;
import dptrain.protocol.RowsDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The exactly-once check of a finished run, as Jepsen's set checker does for a database: what the
 * Coordinator planned (each step's global batch, from the run's seed, rows, batch and shuffling)
 * against what the shards say they applied (each step line's sample count and rows digest, which
 * the shards sum from the workers' digests of the rows they computed on).
 *
 * <p>The run's lineage is read in file order: a roll-back to step k undoes the steps from k on, and
 * the steps trained again replace them; so does a standby coordinator's resume from the checkpoint
 * of step k. A step that appears twice without either between was applied twice. A line a killed
 * coordinator left half-written is no record of anything; it is skipped when a resume follows it,
 * and is a problem otherwise. Curriculum runs (whose order is not the seeded one) are not checked.
 */
public final class AppliedRowsCheck {
  private final long seed;
  private final boolean shuffle;

  /** The run's seed and shuffling, as its config.conf says. */
  public AppliedRowsCheck(long seed, boolean shuffle) {
    this.seed = seed;
    this.shuffle = shuffle;
  }

  public RowsVerdict check(Path runDir) throws IOException {
    List<String> problems = new ArrayList<>();
    TreeMap<Long, JsonLine> lineage = new TreeMap<>();
    JsonLine plan = null;
    long twice = 0;
    String torn = null;
    for (String text : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
      if (text.isBlank()) {
        continue;
      }
      JsonLine line;
      try {
        line = JsonLine.parse(text);
      } catch (IllegalArgumentException e) {
        torn = torn == null ? text : torn;
        continue;
      }
      if (line.type().equals("resume")) {
        torn = null;
      }
      switch (line.type()) {
        case "plan" -> plan = plan == null ? line : plan;
        case "rollback" -> lineage.tailMap((long) line.number("to_step"), true).clear();
        case "resume" -> lineage.tailMap((long) line.number("step"), true).clear();
        case "step" -> {
          long step = (long) line.number("step");
          JsonLine before = lineage.put(step, line);
          if (before != null) {
            twice += (long) before.number("samples");
            problems.add("step " + step + " applied twice without a roll-back between");
          }
        }
        default -> { }
      }
    }
    if (torn != null) {
      problems.add("a line that is not JSON, with no resume after it: " + (torn.length() > 60 ? torn.substring(0, 60) + "..." : torn));
    }
    if (plan == null) {
      throw new IOException(runDir + ": metrics.jsonl has no plan line (a run from before the plan event?)");
    }
    return verdict(plan, lineage, twice, problems);
  }

  private RowsVerdict verdict(JsonLine plan, TreeMap<Long, JsonLine> lineage, long twice, List<String> problems) {
    int rows = (int) plan.number("train_rows");
    int batch = (int) plan.number("global_batch");
    long steps = (long) plan.number("steps");
    int perEpoch = (int) plan.number("steps_per_epoch");
    long lost = 0;
    long wrong = 0;
    long dropped = 0;
    long applied = 0;
    EpochPlan epochPlan = null;
    long planEpoch = -1;
    for (long step = 0; step < steps; step++) {
      long epoch = step / perEpoch;
      if (epoch != planEpoch) {
        epochPlan = new EpochPlan(seed, epoch, rows, batch, shuffle);
        planEpoch = epoch;
      }
      int[] planned = epochPlan.batch((int) (step % perEpoch));
      JsonLine line = lineage.get(step);
      if (line == null) {
        lost += planned.length;
        problems.add("step " + step + " never applied (" + planned.length + " rows lost)");
        continue;
      }
      applied++;
      long samples = (long) line.number("samples");
      long droppedHere = line.has("dropped") ? Math.max(0, (long) line.number("dropped")) : 0;
      dropped += droppedHere;
      if (droppedHere > 0) {
        continue; // backup closed it without some micro-batches: fewer rows, by design
      }
      if (samples < planned.length) {
        lost += planned.length - samples;
        problems.add("step " + step + " applied " + samples + " of its " + planned.length + " rows");
      } else if (samples > planned.length) {
        twice += samples - planned.length;
        problems.add("step " + step + " applied " + samples + " rows, " + (samples - planned.length) + " more than planned");
      }
      String expected = RowsDigest.hex(RowsDigest.of(planned));
      if (line.has("rows") && !line.text("rows").equals(expected)) {
        wrong++;
        problems.add("step " + step + " applied rows " + line.text("rows") + ", planned " + expected);
      }
    }
    return new RowsVerdict(steps, applied, lost, twice, wrong, dropped, problems);
  }
}
