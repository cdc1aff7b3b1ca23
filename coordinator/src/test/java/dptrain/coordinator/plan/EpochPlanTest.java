package dptrain.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochPlanTest {

  @Test
  void everyRowIsVisitedExactlyOncePerEpochIncludingAShortLastBatch() {
    EpochPlan plan = new EpochPlan(7, 0, 10, 4, true);

    assertThat(plan.steps()).isEqualTo(3);
    int[] visited = IntStream.range(0, 3).flatMap(s -> Arrays.stream(plan.batch(s))).sorted().toArray();
    assertThat(visited).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(plan.batch(2)).hasSize(2);
  }

  @Test
  void theOrderDependsOnlyOnSeedAndEpoch() {
    assertThat(new EpochPlan(7, 3, 100, 100, true).batch(0)).containsExactly(new EpochPlan(7, 3, 100, 100, true).batch(0));
    assertThat(new EpochPlan(7, 3, 100, 100, true).batch(0)).isNotEqualTo(new EpochPlan(7, 4, 100, 100, true).batch(0));
    assertThat(new EpochPlan(7, 3, 100, 100, true).batch(0)).isNotEqualTo(new EpochPlan(8, 3, 100, 100, true).batch(0));
  }

  @Test
  void withoutShufflingRowsComeInOrder() {
    assertThat(new EpochPlan(7, 5, 5, 2, false).batch(1)).containsExactly(2, 3);
  }

  @Test
  void microBatchesAreContiguousAndDifferInSizeByAtMostOne() {
    int[][] parts = EpochPlan.split(new int[] {9, 8, 7, 6, 5, 4, 3}, 3);

    assertThat(parts[0]).containsExactly(9, 8, 7);
    assertThat(parts[1]).containsExactly(6, 5);
    assertThat(parts[2]).containsExactly(4, 3);
  }

  @Test
  void theScheduleCountsStepsAndPlacesEvaluationsAtEpochEndsAndTheLastStep() {
    Schedule byEpochs = Schedule.of(10, 4, 2, 0);
    Schedule bySteps = Schedule.of(10, 4, 2, 5);

    assertThat(byEpochs.totalSteps()).isEqualTo(6);
    assertThat(byEpochs.endsEvaluationPeriod(2)).isTrue();
    assertThat(byEpochs.endsEvaluationPeriod(3)).isFalse();
    assertThat(bySteps.totalSteps()).isEqualTo(5);
    assertThat(bySteps.endsEvaluationPeriod(4)).isTrue();
    assertThat(bySteps.epochOf(4)).isEqualTo(1);
    assertThat(bySteps.epochs()).isEqualTo(2);
  }

  @Test
  void evaluationsCanFallEveryNStepsInstead() {
    Schedule everyThree = Schedule.of(10, 4, 3, 0, 1, 3);

    assertThat(everyThree.totalSteps()).isEqualTo(9);
    assertThat(java.util.stream.LongStream.range(0, 9).filter(everyThree::endsEvaluationPeriod).toArray())
        .containsExactly(2, 5, 8);
  }

  @Test
  void aCurriculumVisitsTheRowsFromTheLowestScoreToTheHighestForItsEpochs() {
    var curriculum = new Curriculum(new double[] {0.5, 0.1, 0.9, 0.1, 0.3}, 2);
    EpochPlan plan = EpochPlan.inOrder(curriculum, 2);

    assertThat(plan.steps()).isEqualTo(3);
    assertThat(plan.batch(0)).containsExactly(1, 3);
    assertThat(plan.batch(1)).containsExactly(4, 0);
    assertThat(plan.batch(2)).containsExactly(2);
    assertThat(curriculum.appliesTo(1)).isTrue();
    assertThat(curriculum.appliesTo(2)).isFalse();
  }
}
