package dptrain.worker.model;

import dptrain.protocol.tensor.Precision;
import static org.assertj.core.api.Assertions.assertThat;

import dptrain.protocol.job.LayerSpec;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.worker.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass against central finite differences of the forward pass, in float64, for
 * every hidden activation, every loss and every output activation the losses take.
 */
class MlpGradientCheckTest {

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("tanh", "softmax", "ce", 3),
        Arguments.of("sigmoid", "softmax", "ce", 3),
        Arguments.of("relu", "softmax", "ce", 3),
        Arguments.of("identity", "softmax", "ce", 3),
        Arguments.of("tanh", "sigmoid", "bce", 1),
        Arguments.of("tanh", "sigmoid", "bce", 3),
        Arguments.of("tanh", "identity", "mse", 2),
        Arguments.of("sigmoid", "sigmoid", "mse", 2),
        Arguments.of("tanh", "tanh", "mse", 2),
        Arguments.of("tanh", "softmax", "mse", 3),
        Arguments.of("binary-step", "softmax", "ce", 3),
        Arguments.of("lecun-tanh", "softmax", "ce", 3),
        Arguments.of("soboleva:2,1,1.5,0.5", "softmax", "ce", 3),
        Arguments.of("leaky-relu:0.1", "softmax", "ce", 3),
        Arguments.of("gelu", "softmax", "ce", 3),
        Arguments.of("elu", "softmax", "ce", 3),
        Arguments.of("elu:0.5", "identity", "mse", 2),
        Arguments.of("selu", "softmax", "ce", 3),
        Arguments.of("silu", "softmax", "ce", 3),
        Arguments.of("gaussian", "softmax", "ce", 3),
        Arguments.of("softplus", "softmax", "ce", 3),
        Arguments.of("tanh", "identity", "mae", 2),
        Arguments.of("tanh", "identity", "huber", 2),
        Arguments.of("gelu", "softplus", "huber", 2),
        Arguments.of("silu", "gelu", "mse", 2),
        Arguments.of("tanh", "lecun-tanh", "mae", 2));
  }

  @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
  @MethodSource("networks")
  void theBackwardPassMatchesFiniteDifferences(String hidden, String output, String loss, int outputs) {
    var spec = new ModelSpec(List.of(4, 5, 3, outputs), hidden, output, loss);
    Mlp mlp = new Mlp(spec, Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(11);
    Dataset data = data(random, 6, 4, outputs, loss);
    double[] theta = new double[(int) mlp.layout().size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = random.nextDouble(-0.8, 0.8);
    }
    int[] rows = {0, 1, 2, 3, 4, 5};
    ParameterViews params = new ParameterViews(mlp.layout(), Nd4j.createFromArray(theta));
    ParameterViews gradient = mlp.allocate();
    mlp.gradient(params, data, rows, gradient);
    double[] analytic = gradient.flat().toDoubleVector();

    double h = 1e-6;
    double center = mlp.evaluate(params, data, rows).lossSum();
    int kinks = 0;
    for (int i = 0; i < theta.length; i++) {
      double saved = params.flat().getDouble(i);
      params.flat().putScalar(i, saved + h);
      double plus = mlp.evaluate(params, data, rows).lossSum();
      params.flat().putScalar(i, saved - h);
      double minus = mlp.evaluate(params, data, rows).lossSum();
      params.flat().putScalar(i, saved);
      double numeric = (plus - minus) / (2 * h);
      double forward = (plus - center) / h;
      double backward = (center - minus) / h;
      if (Math.abs(forward - backward) > 1e-4 * Math.max(Math.abs(forward), Math.abs(backward)) + 1e-5) {
        // A relu switched inside [-h, h]: the central difference mixes two slopes; the gradient
        // must then equal the slope on one side.
        kinks++;
        double nearest = Math.abs(analytic[i] - forward) < Math.abs(analytic[i] - backward) ? forward : backward;
        assertThat(analytic[i]).as("parameter %d at a kink", i).isCloseTo(nearest,
            org.assertj.core.data.Offset.offset(1e-5 + 1e-4 * Math.abs(nearest)));
        continue;
      }
      // float64 throughout: central differences are good to about h^2 and 1e-16 / h.
      assertThat(analytic[i]).as("parameter %d", i).isCloseTo(numeric,
          org.assertj.core.data.Offset.offset(1e-7 + 1e-6 * Math.abs(numeric)));
    }
    assertThat(kinks).as("coordinates skipped at a kink").isLessThanOrEqualTo(theta.length / 10);
  }

  @Test
  void dropoutChangesTheTrainingLoss() {
    var layers = ModelGrammar.parse("4-dropout:0.7-5:tanh-dropout:0.5-gdropout:0.3-3:gelu-3");
    Mlp mlp = new Mlp(new ModelSpec(layers.widths(), "relu", "softmax", "ce", layers.layers()), Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(5);
    Dataset data = data(random, 6, 4, 3, "ce");
    ParameterViews params = mlp.allocate();
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, random.nextDouble(-0.8, 0.8));
    }
    int[] rows = {0, 1, 2, 3, 4, 5};

    double withDropout = mlp.gradient(params, data, rows, mlp.allocate(), new DropoutMasks(3, 17));
    assertThat(withDropout).isNotCloseTo(mlp.evaluate(params, data, rows).lossSum(),
        org.assertj.core.data.Offset.offset(1e-9));
  }

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of("4-dropout:0.7-5:tanh-dropout:0.5-gdropout:0.3-3:gelu-3", "relu"),
        Arguments.of("4-5-bn-3-bn-3", "tanh"),
        Arguments.of("4-5:prelu-3:prelu-3", "tanh"),
        Arguments.of("4-6:maxout:3-3-3", "tanh"),
        Arguments.of("4-5:maxout:2-bn-3", "tanh"),
        Arguments.of("4-6:rbf-3", "tanh"),
        Arguments.of("4-5-6:rbf-3", "tanh"),
        Arguments.of("4-dropconnect:0.6-5-dropconnect:0.7-3", "gelu"),
        Arguments.of("4-noise:0.3-5-noise:0.2-3", "sigmoid"),
        Arguments.of("4-3:tanh-tied:1-4:tanh-3", "tanh"),
        Arguments.of("4-5:tanh-bn-dropout:0.8-tied:1-4:sigmoid-3", "tanh"),
        Arguments.of("4-3-5:prelu-tied:2-3", "tanh"),
        Arguments.of("4-dropout:0.8-noise:0.1-6:prelu-bn-dropconnect:0.7-4:maxout:2-bn-gdropout:0.2-3", "tanh"));
  }

  /**
   * Training-mode loss (batch statistics, this step's masks) against central differences, for
   * every parameter; the running statistics' slots are not gradients and are skipped.
   */
  @ParameterizedTest(name = "{0} ({1})")
  @MethodSource("layers")
  void everyLayerIsDifferentiatedInTraining(String model, String hidden) {
    var layers = ModelGrammar.parse(model);
    var spec = new ModelSpec(layers.widths(), hidden, "softmax", "ce", layers.layers());
    Mlp mlp = new Mlp(spec, Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(21);
    Dataset data = data(random, 6, 4, 3, "ce");
    double[] theta = new double[(int) mlp.layout().size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = random.nextDouble(-0.8, 0.8);
    }
    int[] rows = {0, 1, 2, 3, 4, 5};
    DropoutMasks masks = new DropoutMasks(3, 17);
    ParameterViews params = new ParameterViews(mlp.layout(), Nd4j.createFromArray(theta));
    ParameterViews gradient = mlp.allocate();
    ParameterViews scratch = mlp.allocate();
    mlp.gradient(params, data, rows, gradient, masks);
    double[] analytic = gradient.flat().toDoubleVector();

    double h = 1e-6;
    int checked = 0;
    for (int i = 0; i < theta.length; i++) {
      if (mlp.layout().isStatistic(i)) {
        continue;
      }
      double saved = params.flat().getDouble(i);
      params.flat().putScalar(i, saved + h);
      double plus = mlp.gradient(params, data, rows, scratch, masks);
      params.flat().putScalar(i, saved - h);
      double minus = mlp.gradient(params, data, rows, scratch, masks);
      params.flat().putScalar(i, saved);
      double numeric = (plus - minus) / (2 * h);
      assertThat(analytic[i]).as("parameter %d", i).isCloseTo(numeric,
          org.assertj.core.data.Offset.offset(1e-7 + 1e-6 * Math.abs(numeric)));
      checked++;
    }
    assertThat(checked).isGreaterThan(theta.length / 2);
  }

  /**
   * Two micro-batches on two threads, their statistics exchanged: the sum of their gradients is
   * the gradient of the whole batch under plain batch norm (the global batch's statistics).
   */
  @Test
  void synchronisedBatchNormOverTwoMicroBatchesEqualsBatchNormOverTheWholeBatch() {
    var layers = ModelGrammar.parse("4-6-bn-5:tanh-bn-3");
    var spec = new ModelSpec(layers.widths(), "relu", "softmax", "ce", layers.layers());
    SplittableRandom random = new SplittableRandom(9);
    Dataset data = data(random, 7, 4, 3, "ce");
    Mlp whole = new Mlp(spec, Precision.FLOAT64);
    ParameterViews params = whole.allocate();
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, random.nextDouble(-0.8, 0.8));
    }
    ParameterViews expected = whole.allocate();
    double expectedLoss = whole.gradient(params, data, new int[] {0, 1, 2, 3, 4, 5, 6}, expected);

    // Both halves on one model and one thread, side by side: each pass stops at every batch-norm
    // layer until the totals of both are known, as two micro-batches of a step on one worker do.
    int[][] parts = {{0, 1, 2}, {3, 4, 5, 6}};
    ParameterViews[] grads = {whole.allocate(), whole.allocate()};
    SyncedPass[] passes = new SyncedPass[2];
    SyncedPass.Progress[] at = new SyncedPass.Progress[2];
    for (int p = 0; p < 2; p++) {
      passes[p] = whole.syncedGradient(params, data, parts[p], grads[p], null);
      at[p] = passes[p].start();
    }
    int meetings = 0;
    while (at[0] instanceof SyncedPass.NeedsTotals first && at[1] instanceof SyncedPass.NeedsTotals second) {
      assertThat(second.layer()).isEqualTo(first.layer());
      assertThat(second.phase()).isEqualTo(first.phase());
      double[] total = first.local().clone();
      for (int i = 0; i < total.length; i++) {
        total[i] += second.local()[i];
      }
      at[0] = passes[0].resume(total);
      at[1] = passes[1].resume(total);
      meetings++;
    }
    assertThat(meetings).as("forward and backward at each of the two batch-norm layers").isEqualTo(4);
    assertThat(at[0]).isInstanceOf(SyncedPass.Done.class);
    assertThat(at[1]).isInstanceOf(SyncedPass.Done.class);
    double[] losses = {((SyncedPass.Done) at[0]).lossSum(), ((SyncedPass.Done) at[1]).lossSum()};

    assertThat(losses[0] + losses[1]).isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(1e-10));
    double[] sum = grads[0].flat().add(grads[1].flat()).toDoubleVector();
    assertThat(sum).containsExactly(expected.flat().toDoubleVector(), org.assertj.core.data.Offset.offset(1e-10));
  }

  @Test
  void batchNormReportsTheBatchStatisticsAndEvaluatesWithTheRunningOnes() {
    var layers = ModelGrammar.parse("4-5-bn-3");
    var spec = new ModelSpec(layers.widths(), "tanh", "softmax", "ce", layers.layers());
    Mlp mlp = new Mlp(spec, Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(4);
    Dataset data = data(random, 6, 4, 3, "ce");
    ParameterViews params = mlp.allocate();
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, random.nextDouble(-0.8, 0.8));
    }
    params.runningVariance(0).assign(1);
    int[] rows = {0, 1, 2, 3, 4, 5};
    ParameterViews gradient = mlp.allocate();
    mlp.gradient(params, data, rows, gradient);

    // z = x W + b, by hand
    double[][] z = new double[6][5];
    for (int r = 0; r < 6; r++) {
      for (int j = 0; j < 5; j++) {
        double sum = params.bias(0).getDouble(0, j);
        for (int k = 0; k < 4; k++) {
          sum += data.input(r, k) * params.weight(0).getDouble(k, j);
        }
        z[r][j] = sum;
      }
    }
    for (int j = 0; j < 5; j++) {
      double mean = 0;
      for (int r = 0; r < 6; r++) {
        mean += z[r][j] / 6;
      }
      double variance = 0;
      for (int r = 0; r < 6; r++) {
        variance += (z[r][j] - mean) * (z[r][j] - mean) / 5;
      }
      assertThat(gradient.runningMean(0).getDouble(0, j)).isCloseTo(6 * mean, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(gradient.runningVariance(0).getDouble(0, j)).isCloseTo(6 * variance, org.assertj.core.data.Offset.offset(1e-9));
    }
    double before = mlp.evaluate(params, data, rows).lossSum();
    params.runningMean(0).assign(0.5);
    assertThat(mlp.evaluate(params, data, rows).lossSum()).as("evaluation reads the running mean").isNotEqualTo(before);
  }

  @Test
  void dropoutMasksDependOnTheRowsNotOnHowTheBatchIsSplit() {
    var spec = new ModelSpec(List.of(4, 8, 3), "relu", "softmax", "ce", List.of(
        new LayerSpec("", 0.5, 0.2, 0.1, 1, 0), new LayerSpec("", 0.6, 0, 0, 1, 0)));
    Mlp mlp = new Mlp(spec, Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(8);
    Dataset data = data(random, 6, 4, 3, "ce");
    double[] theta = new double[(int) mlp.layout().size()];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = random.nextDouble(-0.8, 0.8);
    }
    ParameterViews params = new ParameterViews(mlp.layout(), Nd4j.createFromArray(theta));
    DropoutMasks masks = new DropoutMasks(1, 4);
    ParameterViews whole = mlp.allocate();
    ParameterViews first = mlp.allocate();
    ParameterViews second = mlp.allocate();

    double all = mlp.gradient(params, data, new int[] {5, 0, 3, 1, 4, 2}, whole, masks);
    double part = mlp.gradient(params, data, new int[] {3, 1, 4}, first, masks)
        + mlp.gradient(params, data, new int[] {2, 5, 0}, second, masks);

    assertThat(part).isCloseTo(all, org.assertj.core.data.Offset.offset(1e-12));
    double[] sum = first.flat().add(second.flat()).toDoubleVector();
    assertThat(sum).containsExactly(whole.flat().toDoubleVector(), org.assertj.core.data.Offset.offset(1e-12));
  }

  /**
   * Output noise: a linear unit under mse, z = w x + b. Noise e on the targets moves dL/db by
   * -2 sum(e) and dL/dw by -2 sum(e x) (mse's dL/dz = 2 (z - y - e)), with e the values the
   * step's masks draw for those rows; evaluation scores the plain targets.
   */
  @Test
  void targetNoiseTrainsALinearUnitOnTheTargetsPlusTheStepsNoise() {
    var plain = new ModelSpec(List.of(4, 1), "relu", "identity", "mse");
    Mlp clean = new Mlp(plain, Precision.FLOAT64);
    Mlp noisy = new Mlp(plain.withTargetNoise(0.3), Precision.FLOAT64);
    SplittableRandom random = new SplittableRandom(5);
    Dataset data = data(random, 6, 4, 1, "mse");
    ParameterViews params = clean.allocate();
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, random.nextDouble(-0.8, 0.8));
    }
    int[] rows = {4, 0, 5, 2};
    var masks = new DropoutMasks(21, 8);
    double[] e = new double[rows.length];
    masks.addTargetNoise(e, rows, 1, 0.3);

    ParameterViews g = clean.allocate();
    ParameterViews gNoisy = noisy.allocate();
    clean.gradient(params, data, rows, g, masks);
    noisy.gradient(params, data, rows, gNoisy, masks);

    double bias = gNoisy.bias(0).getDouble(0) - g.bias(0).getDouble(0);
    assertThat(bias).isCloseTo(-2 * java.util.Arrays.stream(e).sum(), org.assertj.core.data.Offset.offset(1e-12));
    for (int in = 0; in < 4; in++) {
      double expected = 0;
      for (int i = 0; i < rows.length; i++) {
        expected += -2 * e[i] * data.input(rows[i], in);
      }
      double moved = gNoisy.weight(0).getDouble(in, 0) - g.weight(0).getDouble(in, 0);
      assertThat(moved).as("weight %d", in).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(noisy.evaluate(params, data, rows).lossSum()).isEqualTo(clean.evaluate(params, data, rows).lossSum());
  }

  private static Dataset data(SplittableRandom random, int rows, int width, int outputs, String loss) {
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    if (loss.equals("mse")) {
      float[] y = new float[rows * outputs];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) random.nextDouble(0, 1);
      }
      return Dataset.regression(x, width, y, outputs);
    }
    int classes = outputs == 1 ? 2 : outputs;
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = i % classes;
    }
    return Dataset.labelled(x, width, labels);
  }
}
