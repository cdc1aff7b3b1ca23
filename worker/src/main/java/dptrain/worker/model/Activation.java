package dptrain.worker.model;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Element-wise activations. Hidden layers apply them in place on ND4J arrays and take the
 * derivative from the output h = f(z) (every hidden activation here allows that); the output
 * layer applies them in plain Java next to the loss.
 */
public enum Activation {
  IDENTITY("identity"),
  SIGMOID("sigmoid"),
  TANH("tanh"),
  RELU("relu"),
  SOFTMAX("softmax");

  private final String cliName;

  Activation(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static Activation fromName(String name) {
    return Arrays.stream(values())
        .filter(a -> a.cliName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "unknown activation '" + name + "' (allowed: identity, sigmoid, tanh, relu, softmax)"));
  }

  public boolean isHiddenCapable() {
    return this != SOFTMAX;
  }

  /** h = f(z), in place. */
  void applyInPlace(INDArray z) {
    switch (this) {
      case IDENTITY -> { }
      case SIGMOID -> Transforms.sigmoid(z, false);
      case TANH -> Transforms.tanh(z, false);
      case RELU -> Transforms.relu(z, false);
      case SOFTMAX -> throw new IllegalStateException("softmax is an output activation only");
    }
  }

  /** delta *= f'(z), with f'(z) computed from h = f(z) into {@code scratch}. */
  void multiplyByDerivative(INDArray h, INDArray delta, INDArray scratch) {
    switch (this) {
      case IDENTITY -> { }
      case SIGMOID -> delta.muli(scratch.assign(h).rsubi(1.0).muli(h));
      case TANH -> delta.muli(scratch.assign(h).muli(h).rsubi(1.0));
      // relu'(z) = 1 for z > 0, else 0 (as PyTorch), which is sign(h) since h >= 0.
      case RELU -> delta.muli(Transforms.sign(scratch.assign(h), false));
      case SOFTMAX -> throw new IllegalStateException("softmax is an output activation only");
    }
  }

  /** Output activation of one sample's k logits z[from, from + k), into out[0, k), in plain Java. */
  void applyToRow(double[] z, int from, int k, double[] out) {
    switch (this) {
      case IDENTITY -> System.arraycopy(z, from, out, 0, k);
      case SIGMOID -> {
        for (int j = 0; j < k; j++) {
          out[j] = sigmoid(z[from + j]);
        }
      }
      case TANH -> {
        for (int j = 0; j < k; j++) {
          out[j] = Math.tanh(z[from + j]);
        }
      }
      case RELU -> {
        for (int j = 0; j < k; j++) {
          out[j] = Math.max(0, z[from + j]);
        }
      }
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + k; j++) {
          max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = from; j < from + k; j++) {
          sum += Math.exp(z[j] - max);
        }
        for (int j = 0; j < k; j++) {
          out[j] = Math.exp(z[from + j] - max) / sum;
        }
      }
    }
  }

  /** f'(z) from p = f(z), for element-wise output activations. */
  double derivativeFromOutput(double p) {
    return switch (this) {
      case IDENTITY -> 1.0;
      case SIGMOID -> p * (1.0 - p);
      case TANH -> 1.0 - p * p;
      case RELU -> p > 0 ? 1.0 : 0.0;
      case SOFTMAX -> throw new IllegalStateException("softmax has no element-wise derivative");
    };
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  }
}
