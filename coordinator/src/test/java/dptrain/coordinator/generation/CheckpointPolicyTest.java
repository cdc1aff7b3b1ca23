package dptrain.coordinator.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.coordinator.job.Checkpointing;
import dptrain.coordinator.plan.Schedule;
import dptrain.coordinator.step.PauseRule;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which evaluation pauses write a checkpoint, on a manual clock: by steps, by time, and after the last step. */
class CheckpointPolicyTest {
  // 10 epochs of 4 steps each, evaluated at every epoch end (after steps 3, 7, ..., 39).
  private static final Schedule SCHEDULE = Schedule.of(40, 10, 10, 0);
  private final AtomicLong now = new AtomicLong(1_000);

  private CheckpointPolicy policy(Checkpointing checkpointing, boolean runFolder) {
    return new CheckpointPolicy(new PauseRule(SCHEDULE, checkpointing, runFolder), now::get);
  }

  private static Checkpointing every(Duration interval) {
    return new Checkpointing(0, false, interval, 3, "", null);
  }

  @Test
  void byTimeOneIsDueAtTheFirstPauseAfterTheIntervalAndTheIntervalStartsAgainWhenOneIsWritten() {
    var policy = policy(every(Duration.ofSeconds(60)), true);

    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(policy.dueAfterEvaluation(3, false)).as("59 s after the start").isFalse();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(policy.dueAfterEvaluation(7, false)).as("61 s after the start").isTrue();

    policy.written();
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(policy.dueAfterEvaluation(11, false)).as("30 s after the last one").isFalse();
  }

  @Test
  void theLastStepIsAlwaysFollowedByOneWhenTheJobWritesCheckpoints() {
    assertThat(policy(every(Duration.ofSeconds(60)), true).dueAfterEvaluation(39, true)).isTrue();
    assertThat(policy(new Checkpointing(5, false, Duration.ZERO, 3, "", null), true).dueAfterEvaluation(39, true)).isTrue();
  }

  @Test
  void noneWithoutARunFolderOrWhenTheJobAsksForNone() {
    now.addAndGet(Duration.ofHours(1).toNanos());
    assertThat(policy(every(Duration.ofSeconds(60)), false).dueAfterEvaluation(39, true)).isFalse();
    assertThat(policy(Checkpointing.NONE, true).dueAfterEvaluation(39, true)).isFalse();
    assertThat(policy(every(Duration.ZERO), true).dueAfterEvaluation(7, false)).isFalse();
  }

  @Test
  void epochEndsAndStepCountsStillPutOneWhereTheySay() {
    var epochEnds = policy(new Checkpointing(0, true, Duration.ZERO, 3, "", null), true);
    assertThat(epochEnds.dueAfterEvaluation(3, false)).isTrue();
    var everyEight = policy(new Checkpointing(8, false, Duration.ZERO, 3, "", null), true);
    assertThat(everyEight.dueAfterEvaluation(3, false)).isFalse();
    assertThat(everyEight.dueAfterEvaluation(7, false)).isTrue();
  }
}
