package dptrain.deploy.chaos;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The chaos suite's verdict as a Markdown table: one row per run, with the fault and what became of the run. */
final class ChaosTable {
  /** One row: the run, its rows verdict, and whether its parameters are the clean run's, bit for bit (null: not compared). */
  record Row(ChaosRun.Outcome outcome, RowsVerdict verdict, Boolean sameBits) {}

  private final List<Row> rows = new ArrayList<>();

  void add(Row row) {
    rows.add(row);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  /** Which nodes the fault hit: the workers by position, or the coordinator's or the standby's node, or all of them. */
  private static String hit(FaultSchedule.Planned fault) {
    if (fault.fault() == Fault.WIRE_FAULTS) {
      return "every node";
    }
    return switch (fault.fault().target()) {
      case WORKER -> "node(s) " + fault.victims();
      case COORDINATOR -> "the coordinator";
      case STANDBY -> "the standby";
    };
  }

  void print(PrintStream out) {
    out.println("| fault | when | what the cluster did | outcome | steps applied | samples lost | counted twice "
        + "| wrong rows | bits = clean run | time to recover |");
    out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Row row : rows) {
      var o = row.outcome();
      var v = row.verdict();
      String when = o.fault() == null ? "-" : "after step " + o.fault().atStep() + ", " + hit(o.fault());
      String steps = v == null ? "-" : v.stepsApplied() + " of " + v.stepsPlanned() + (v.droppedMicroBatches() == 0 ? ""
          : ", " + v.droppedMicroBatches() + " micro-batch(es) dropped by backup");
      String recover = Double.isNaN(o.recoverySeconds()) ? "-" : String.format(Locale.ROOT, "%.1f s", o.recoverySeconds());
      out.println("| " + o.name() + " | " + when + " | " + o.reaction() + " | " + o.ended() + " | " + steps + " | "
          + (v == null ? "-" : v.samplesLost()) + " | " + (v == null ? "-" : v.samplesTwice()) + " | "
          + (v == null ? "-" : v.wrongRows()) + " | " + (row.sameBits() == null ? "-" : row.sameBits() ? "yes" : "no") + " | "
          + recover + " |");
    }
    for (Row row : rows) {
      if (row.verdict() != null) {
        row.verdict().problems().stream().limit(5).forEach(p -> out.println("- " + row.outcome().name() + ": " + p));
      }
    }
  }
}
