package dptrain.worker.kmeans;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.worker.data.Dataset;
import org.junit.jupiter.api.Test;

class KMeansMovesTest {
  /** Points 0, 1, 10, 12 on a line. */
  private static final Dataset LINE = Dataset.labelled(new float[] {0, 1, 10, 12}, 1, new int[] {0, 0, 1, 1});

  @Test
  void withoutCentresEveryRowWeighsOneSoTheFirstPickIsUniform() {
    assertThat(KMeansMoves.d2Sum(LINE, 0, 4, new double[0], 0)).isEqualTo(4);
    assertThat(KMeansMoves.pick(LINE, 0, 4, new double[0], 0, 2.5)).containsExactly(10);
  }

  @Test
  void dSquaredIsTheSquaredDistanceToTheNearestCentreAndPickFollowsItsRunningSum() {
    double[] centre = {1};

    // D^2 = 1, 0, 81, 121
    assertThat(KMeansMoves.d2Sum(LINE, 0, 4, centre, 1)).isEqualTo(203);
    assertThat(KMeansMoves.pick(LINE, 0, 4, centre, 1, 0.5)).containsExactly(0);
    assertThat(KMeansMoves.pick(LINE, 0, 4, centre, 1, 81.5)).containsExactly(10);
    assertThat(KMeansMoves.pick(LINE, 0, 4, centre, 1, 82.5)).containsExactly(12);
    assertThat(KMeansMoves.d2Sum(LINE, 2, 4, centre, 1)).as("a worker's range only").isEqualTo(202);
  }

  @Test
  void aLloydStepSumsEachCentresNearestRows() {
    var a = KMeansMoves.assign(LINE, 0, 4, new double[] {0, 11}, 2);

    assertThat(a.counts()).containsExactly(2, 2);
    assertThat(a.sums()).containsExactly(1, 22);
    assertThat(a.squares()).containsExactly(1, 2);
  }
}
