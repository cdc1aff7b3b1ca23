package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class StandardizerTest {
  /** 400 rows of 3 correlated features with different scales; the test set is shifted. */
  private static TrainTestData correlated() {
    SplittableRandom random = new SplittableRandom(2);
    float[] train = new float[400 * 3];
    for (int i = 0; i < 400; i++) {
      double a = random.nextGaussian();
      double b = random.nextGaussian();
      double c = random.nextGaussian();
      train[3 * i] = (float) (5 + 10 * a);
      train[3 * i + 1] = (float) (-2 + 3 * a + b);
      train[3 * i + 2] = (float) (0.5 * b + 0.3 * c);
    }
    float[] test = {15, 1, 0.5f, -5, -5, -0.5f};
    return new TrainTestData(Dataset.labelled(train, 3, new int[400]), Dataset.labelled(test, 3, new int[2]), "test");
  }

  private static double[][] covariance(Dataset d) {
    float[] x = d.features();
    int w = d.width();
    int n = d.rows();
    double[] mean = new double[w];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < w; j++) {
        mean[j] += x[i * w + j] / (double) n;
      }
    }
    double[][] c = new double[w][w];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < w; a++) {
        for (int b = 0; b < w; b++) {
          c[a][b] += (x[i * w + a] - mean[a]) * (x[i * w + b] - mean[b]) / n;
        }
      }
    }
    return c;
  }

  @Test
  void zscoreGivesTheTrainingSetZeroMeanAndUnitVarianceAndAppliesTheSameToTheTestSet() {
    TrainTestData raw = correlated();
    TrainTestData data = Standardizer.parse("zscore").fitAndApply(raw);
    double[][] c = covariance(data.train());

    for (int j = 0; j < 3; j++) {
      assertThat(c[j][j]).isCloseTo(1, Offset.offset(1e-5));
    }
    double[][] rawC = covariance(raw.train());
    double expected = (15 - mean(raw.train(), 0)) / Math.sqrt(rawC[0][0]);
    assertThat((double) data.test().features()[0]).isCloseTo(expected, Offset.offset(1e-4));
  }

  @Test
  void minmaxMapsTheTrainingRangeOntoZeroOne() {
    TrainTestData data = Standardizer.parse("minmax").fitAndApply(correlated());

    for (float v : data.train().features()) {
      assertThat(v).isBetween(0f, 1f);
    }
  }

  @Test
  void zcaWhitensTheTrainingCovarianceToNearlyTheIdentity() {
    TrainTestData data = Standardizer.parse("zca:1e-6").fitAndApply(correlated());
    double[][] c = covariance(data.train());

    for (int a = 0; a < 3; a++) {
      for (int b = 0; b < 3; b++) {
        assertThat(c[a][b]).as("cov[%d][%d]", a, b).isCloseTo(a == b ? 1 : 0, Offset.offset(1e-3));
      }
    }
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> Standardizer.parse("pca")).hasMessageContaining("unknown --standardize 'pca'");
    assertThatThrownBy(() -> Standardizer.parse("zca:-1")).hasMessageContaining("EPS > 0");
  }

  private static double mean(Dataset d, int column) {
    double sum = 0;
    for (int i = 0; i < d.rows(); i++) {
      sum += d.features()[i * d.width() + column];
    }
    return sum / d.rows();
  }
}
