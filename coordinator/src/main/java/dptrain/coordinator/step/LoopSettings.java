package dptrain.coordinator.step;

import dptrain.coordinator.job.Consistency;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.lr.LrSchedule;
import dptrain.coordinator.lr.LrScheduleSpec;
import dptrain.coordinator.lr.LrSchedules;
import dptrain.coordinator.plan.Curriculum;
import dptrain.coordinator.plan.Schedule;
import java.time.Duration;

/**
 * What a {@link StepLoop} takes from the job's settings: how batches are drawn and cut, the
 * learning rate schedule, the consistency mode, clipping, and its timing (lookahead, retries,
 * the step timeout).
 *
 * @param batch the global batch, in rows
 * @param curriculum the easy-to-hard order of the first epochs, or null
 * @param clipNorm clipping by global norm (0: off)
 */
public record LoopSettings(long seed, int batch, boolean shuffle, int reductionGroups, Curriculum curriculum,
    LrScheduleSpec schedule, double lr, Consistency consistency, double clipNorm, int lookahead, Duration retryAfter,
    Duration stepTimeout) {

  /** The loop's part of a job over {@code trainRows} training rows. */
  public static LoopSettings of(JobSettings settings, int trainRows) {
    var optimization = settings.optimization();
    return new LoopSettings(settings.seed(), settings.effectiveBatch(trainRows), settings.shuffle(),
        settings.reductionGroups(), settings.curriculum(), optimization.schedule(), optimization.optimizer().lr(),
        settings.consistency(), optimization.regularization().clipNorm(), settings.lookahead(), settings.retryAfter(),
        settings.stepTimeout());
  }

  /** A fresh lr schedule of this job (the state its evaluations gave comes with each {@link StepLoop.RunPeriod}). */
  public LrSchedule newRates(Schedule steps) {
    return LrSchedules.build(schedule, lr, batch, steps.totalSteps(), steps.stepsPerEpoch());
  }
}
