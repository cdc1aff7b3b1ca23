package dptrain.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.job.Head;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A multitask network (one trunk, a 3-class ce head and a 2-output mse head weighted 0.5) is the
 * weighted sum of two single-task networks that share the trunk: its loss, its gradient (the
 * trunk's the sum of both heads', each head's its own) and its outputs.
 */
class MultitaskMlpTest {
  private static final List<Head> HEADS = List.of(new Head(3, "ce", 1), new Head(2, "mse", 0.5));
  private static final ModelSpec MULTITASK = new ModelSpec(List.of(4, 6, 5), "tanh", "softmax", "ce").withHeads(HEADS);
  private static final int[] ROWS = {0, 1, 2, 3, 4, 5, 6};

  /** Rows of 4 features; targets: a class index 0..2, then two real values. */
  private static Dataset data(SplittableRandom random) {
    int n = ROWS.length;
    float[] x = new float[n * 4];
    float[] y = new float[n * 3];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = (float) random.nextDouble(-1, 1);
      }
      y[i * 3] = i % 3;
      y[i * 3 + 1] = (float) random.nextDouble(-1, 1);
      y[i * 3 + 2] = (float) random.nextDouble(-1, 1);
    }
    return Dataset.regression(x, 4, y, 3);
  }

  /** The same data for one head alone: its own target columns. */
  private static Dataset headData(Dataset all, int head) {
    int n = all.rows();
    float[] x = new float[n * 4];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = all.input(i, j);
      }
    }
    if (head == 0) {
      return Dataset.labelled(x, 4, java.util.stream.IntStream.range(0, n).map(i -> (int) all.target(i, 0)).toArray());
    }
    float[] y = new float[n * 2];
    for (int i = 0; i < n; i++) {
      y[2 * i] = all.target(i, 1);
      y[2 * i + 1] = all.target(i, 2);
    }
    return Dataset.regression(x, 4, y, 2);
  }

  private static double[] theta(int size) {
    SplittableRandom random = new SplittableRandom(5);
    double[] theta = new double[size];
    for (int i = 0; i < size; i++) {
      theta[i] = random.nextDouble(-0.7, 0.7);
    }
    return theta;
  }

  /**
   * One head's single-task network with the multitask one's trunk and this head's rows of the
   * output layer (the layout: weights [in, out] row-major, then the biases).
   */
  private static double[] headTheta(double[] all, Mlp multitask, int hidden, int offset, int width) {
    int trunk = (int) multitask.layout().layers().get(1).weightOffset();
    int outputs = Head.outputs(HEADS);
    double[] own = new double[trunk + hidden * width + width];
    System.arraycopy(all, 0, own, 0, trunk);
    for (int i = 0; i < hidden; i++) {
      for (int j = 0; j < width; j++) {
        own[trunk + i * width + j] = all[trunk + i * outputs + offset + j];
      }
    }
    for (int j = 0; j < width; j++) {
      own[trunk + hidden * width + j] = all[trunk + hidden * outputs + offset + j];
    }
    return own;
  }

  @Test
  void theLossAndTheGradientAreTheHeadsWeightedSum() {
    Mlp multitask = new Mlp(MULTITASK, Precision.FLOAT64);
    Mlp classes = new Mlp(new ModelSpec(List.of(4, 6, 3), "tanh", "softmax", "ce"), Precision.FLOAT64);
    Mlp values = new Mlp(new ModelSpec(List.of(4, 6, 2), "tanh", "identity", "mse"), Precision.FLOAT64);
    Dataset data = data(new SplittableRandom(3));
    double[] theta = theta((int) multitask.layout().size());
    ParameterViews all = new ParameterViews(multitask.layout(), Nd4j.createFromArray(theta));
    ParameterViews gradient = multitask.allocate();
    double loss = multitask.gradient(all, data, ROWS, gradient);

    ParameterViews first = new ParameterViews(classes.layout(), Nd4j.createFromArray(headTheta(theta, multitask, 6, 0, 3)));
    ParameterViews second = new ParameterViews(values.layout(), Nd4j.createFromArray(headTheta(theta, multitask, 6, 3, 2)));
    ParameterViews firstGradient = classes.allocate();
    ParameterViews secondGradient = values.allocate();
    double firstLoss = classes.gradient(first, headData(data, 0), ROWS, firstGradient);
    double secondLoss = values.gradient(second, headData(data, 1), ROWS, secondGradient);
    assertThat(loss).isCloseTo(firstLoss + 0.5 * secondLoss, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(multitask.evaluate(all, data, ROWS).lossSum()).isCloseTo(loss, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(multitask.headLosses(all, data, ROWS)).containsExactly(new double[] {firstLoss, secondLoss},
        org.assertj.core.api.Assertions.within(1e-12));

    double[] g = gradient.flat().toDoubleVector();
    double[] g1 = firstGradient.flat().toDoubleVector();
    double[] g2 = secondGradient.flat().toDoubleVector();
    int trunk = (int) multitask.layout().layers().get(1).weightOffset();
    for (int i = 0; i < trunk; i++) {
      assertThat(g[i]).as("trunk parameter %d gets both heads' gradients", i)
          .isCloseTo(g1[i] + 0.5 * g2[i], org.assertj.core.api.Assertions.within(1e-12));
    }
    double[] ownFirst = headTheta(g, multitask, 6, 0, 3);
    double[] ownSecond = headTheta(g, multitask, 6, 3, 2);
    for (int i = trunk; i < ownFirst.length; i++) {
      assertThat(ownFirst[i]).as("ce head parameter %d", i).isCloseTo(g1[i], org.assertj.core.api.Assertions.within(1e-12));
    }
    for (int i = trunk; i < ownSecond.length; i++) {
      assertThat(ownSecond[i]).as("mse head parameter %d", i)
          .isCloseTo(0.5 * g2[i], org.assertj.core.api.Assertions.within(1e-12));
    }
  }

  @Test
  void eachHeadOutputsThroughItsOwnActivationAndTheClassHeadScoresTheAccuracy() {
    Mlp multitask = new Mlp(MULTITASK, Precision.FLOAT64);
    Dataset data = data(new SplittableRandom(3));
    double[] theta = theta((int) multitask.layout().size());
    ParameterViews all = new ParameterViews(multitask.layout(), Nd4j.createFromArray(theta));
    double[] outputs = multitask.predict(all, data, ROWS);
    Mlp classes = new Mlp(new ModelSpec(List.of(4, 6, 3), "tanh", "softmax", "ce"), Precision.FLOAT64);
    ParameterViews first = new ParameterViews(classes.layout(), Nd4j.createFromArray(headTheta(theta, multitask, 6, 0, 3)));
    double[] probabilities = classes.predict(first, headData(data, 0), ROWS);
    for (int i = 0; i < ROWS.length; i++) {
      double sum = 0;
      for (int j = 0; j < 3; j++) {
        assertThat(outputs[i * 5 + j]).isCloseTo(probabilities[i * 3 + j], org.assertj.core.api.Assertions.within(1e-14));
        sum += outputs[i * 5 + j];
      }
      assertThat(sum).as("the ce head's softmax").isCloseTo(1, org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(multitask.reportsAccuracy(data)).isTrue();
    assertThat(multitask.evaluate(all, data, ROWS).correct())
        .isEqualTo(classes.evaluate(first, headData(data, 0), ROWS).correct());
  }

  @Test
  void aClassTargetOutsideTheHeadIsRefused() {
    Mlp multitask = new Mlp(MULTITASK, Precision.FLOAT64);
    Dataset bad = Dataset.regression(new float[] {0, 0, 0, 0}, 4, new float[] {3, 0.5f, 0.5f}, 3);
    ParameterViews all = new ParameterViews(multitask.layout(),
        Nd4j.createFromArray(theta((int) multitask.layout().size())));
    assertThatThrownBy(() -> multitask.evaluate(all, bad, new int[] {0}))
        .hasMessageContaining("target column 1 of row 0 holds 3.0, not a class of the 3:ce head");
  }
}
