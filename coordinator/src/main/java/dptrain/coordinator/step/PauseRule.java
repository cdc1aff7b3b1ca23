package dptrain.coordinator.step;

import dptrain.coordinator.job.Checkpointing;
import dptrain.coordinator.plan.Schedule;

/**
 * Where training stops for a while: after the last step of an evaluation period, or after a
 * step that a checkpoint follows. Nothing after such a step is handed out before the pause ends,
 * so the evaluation or the checkpoint sees exactly the parameters of that step.
 *
 * @param writesCheckpoints false without a run folder: then no checkpoint ever pauses training
 */
public record PauseRule(Schedule schedule, Checkpointing checkpointing, boolean writesCheckpoints) {

  public boolean pausesAfter(long step) {
    return evaluatesAfter(step) || checkpointAfter(step);
  }

  public boolean evaluatesAfter(long step) {
    return schedule.endsEvaluationPeriod(step);
  }

  /** A checkpoint follows this step; never after the last one (the job's end collects the parameters anyway). */
  public boolean checkpointAfter(long step) {
    return writesCheckpoints && checkpointing.after(step, schedule.stepsPerEpoch()) && step + 1 < schedule.totalSteps();
  }
}
