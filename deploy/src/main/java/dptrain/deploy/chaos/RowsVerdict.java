package dptrain.deploy.chaos;

import java.util.List;

/**
 * What the exactly-once check found in one run folder, over the steps that make up its final
 * parameters (the run's lineage: a step redone after a roll-back replaces the undone one).
 *
 * @param stepsPlanned the steps the run planned
 * @param stepsApplied the planned steps its lineage holds
 * @param samplesLost planned rows that no applied step counted (missing steps, short steps)
 * @param samplesTwice rows counted beyond the plan (a step applied twice, a step too long)
 * @param wrongRows steps whose rows digest differs from the plan's (rows swapped, or shards that disagree)
 * @param droppedMicroBatches micro-batches backup steps closed without (counted as drops, not losses)
 * @param problems one line per finding, for the table's notes
 */
public record RowsVerdict(long stepsPlanned, long stepsApplied, long samplesLost, long samplesTwice, long wrongRows,
    long droppedMicroBatches, List<String> problems) {
  public RowsVerdict {
    problems = List.copyOf(problems);
  }

  /** Nothing lost, nothing counted twice, every step's rows as planned. */
  public boolean exact() {
    return stepsApplied == stepsPlanned && samplesLost == 0 && samplesTwice == 0 && wrongRows == 0;
  }
}
