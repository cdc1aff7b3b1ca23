package dptrain.worker.model;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Activations, by name with optional parameters ({@code leaky-relu:0.01}, {@code elu:1},
 * {@code soboleva:a,b,c,d}). Hidden layers apply them in place on ND4J arrays; identity,
 * sigmoid, tanh and relu use ND4J's kernels (the fast path), the others a plain loop over the
 * layer's values with f and f' below, in double. The output layer applies them in Java next to
 * the loss. Derivatives at a kink are the right-hand ones, as PyTorch's.
 */
public final class Activation {

  /** The kinds; each knows f(z) and f'(z) given z and h = f(z). */
  enum Kind {
    IDENTITY("identity", 0),
    BINARY_STEP("binary-step", 0),
    SIGMOID("sigmoid", 0),
    TANH("tanh", 0),
    LECUN_TANH("lecun-tanh", 0),
    SOBOLEVA("soboleva", 4),
    RELU("relu", 0),
    LEAKY_RELU("leaky-relu", 1),
    GELU("gelu", 0),
    ELU("elu", 1),
    SELU("selu", 0),
    SILU("silu", 0),
    GAUSSIAN("gaussian", 0),
    SOFTPLUS("softplus", 0),
    SOFTMAX("softmax", 0);

    final String cliName;
    final int parameters;

    Kind(String cliName, int parameters) {
      this.cliName = cliName;
      this.parameters = parameters;
    }
  }

  public static final Activation IDENTITY = new Activation(Kind.IDENTITY, new double[0]);
  public static final Activation SIGMOID = new Activation(Kind.SIGMOID, new double[0]);
  public static final Activation TANH = new Activation(Kind.TANH, new double[0]);
  public static final Activation RELU = new Activation(Kind.RELU, new double[0]);
  public static final Activation SOFTMAX = new Activation(Kind.SOFTMAX, new double[0]);

  public static final String ALLOWED = "identity, binary-step, sigmoid, tanh, lecun-tanh, soboleva:a,b,c,d, relu, "
      + "leaky-relu[:alpha], gelu, elu[:alpha], selu, silu, gaussian, softplus, softmax";

  private static final double SELU_ALPHA = 1.6732632423543772;
  private static final double SELU_SCALE = 1.0507009873554805;

  private final Kind kind;
  private final double[] p;

  private Activation(Kind kind, double[] parameters) {
    this.kind = kind;
    this.p = parameters;
  }

  Kind kind() {
    return kind;
  }

  /** The name as the command line takes it, parameters included. */
  public String cliName() {
    if (p.length == 0) {
      return kind.cliName;
    }
    return kind.cliName + ":" + String.join(",", Arrays.stream(p).mapToObj(v -> v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v) : Double.toString(v)).toList());
  }

  public static Activation fromName(String text) {
    String[] parts = text.trim().split(":", 2);
    Kind kind = Arrays.stream(Kind.values()).filter(k -> k.cliName.equals(parts[0])).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown activation '" + text + "' (allowed: " + ALLOWED + ")"));
    double[] parameters = parts.length == 2 ? numbers(text, parts[1]) : defaults(kind);
    if (parameters.length != kind.parameters) {
      throw new IllegalArgumentException("activation " + kind.cliName + " takes " + kind.parameters
          + " parameter(s), got '" + text + "' (allowed: " + ALLOWED + ")");
    }
    return switch (kind) {
      case IDENTITY -> IDENTITY;
      case SIGMOID -> SIGMOID;
      case TANH -> TANH;
      case RELU -> RELU;
      case SOFTMAX -> SOFTMAX;
      default -> new Activation(kind, parameters);
    };
  }

  private static double[] defaults(Kind kind) {
    return switch (kind) {
      case LEAKY_RELU -> new double[] {0.01};
      case ELU -> new double[] {1.0};
      default -> new double[0];
    };
  }

  private static double[] numbers(String text, String list) {
    try {
      return Arrays.stream(list.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("activation '" + text + "' has a parameter that is not a number");
    }
  }

  public boolean isHiddenCapable() {
    return kind != Kind.SOFTMAX;
  }

  /** Whether the derivative needs the pre-activation z (not only h), so z must be kept. */
  boolean needsPreActivation() {
    return switch (kind) {
      case IDENTITY, SIGMOID, TANH, RELU, BINARY_STEP -> false;
      default -> true;
    };
  }

  /** f(z) for one value (element-wise kinds only). */
  double value(double z) {
    return switch (kind) {
      case IDENTITY -> z;
      case BINARY_STEP -> z >= 0 ? 1 : 0;
      case SIGMOID -> sigmoid(z);
      case TANH -> Math.tanh(z);
      case LECUN_TANH -> 1.7159 * Math.tanh(2.0 * z / 3.0);
      // Soboleva's modified tanh: (e^(az) - e^(-bz)) / (e^(cz) + e^(-dz))
      case SOBOLEVA -> (Math.exp(p[0] * z) - Math.exp(-p[1] * z)) / (Math.exp(p[2] * z) + Math.exp(-p[3] * z));
      case RELU -> Math.max(0, z);
      case LEAKY_RELU -> z > 0 ? z : p[0] * z;
      case GELU -> 0.5 * z * (1 + Erf.erf(z / Math.sqrt(2)));
      case ELU -> z > 0 ? z : p[0] * Math.expm1(z);
      case SELU -> SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Math.expm1(z));
      case SILU -> z * sigmoid(z);
      case GAUSSIAN -> Math.exp(-z * z);
      case SOFTPLUS -> Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** f'(z), given z and h = f(z). */
  double derivative(double z, double h) {
    return switch (kind) {
      case IDENTITY -> 1;
      case BINARY_STEP -> 0;
      case SIGMOID -> h * (1 - h);
      case TANH -> 1 - h * h;
      case LECUN_TANH -> 1.7159 * 2.0 / 3.0 * (1 - Math.pow(Math.tanh(2.0 * z / 3.0), 2));
      case SOBOLEVA -> {
        double num = Math.exp(p[0] * z) - Math.exp(-p[1] * z);
        double den = Math.exp(p[2] * z) + Math.exp(-p[3] * z);
        double dNum = p[0] * Math.exp(p[0] * z) + p[1] * Math.exp(-p[1] * z);
        double dDen = p[2] * Math.exp(p[2] * z) - p[3] * Math.exp(-p[3] * z);
        yield (dNum * den - num * dDen) / (den * den);
      }
      case RELU -> z > 0 ? 1 : 0;
      case LEAKY_RELU -> z > 0 ? 1 : p[0];
      case GELU -> 0.5 * (1 + Erf.erf(z / Math.sqrt(2))) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      case ELU -> z > 0 ? 1 : p[0] * Math.exp(z);
      case SELU -> SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z));
      case SILU -> {
        double s = sigmoid(z);
        yield s * (1 + z * (1 - s));
      }
      case GAUSSIAN -> -2 * z * h;
      case SOFTPLUS -> sigmoid(z);
      case SOFTMAX -> throw new IllegalStateException("softmax has no element-wise derivative");
    };
  }

  /** f''(z), given z and h = f(z), for Hessian-vector products; Soboleva's and softmax have none here. */
  double secondDerivative(double z, double h) {
    return switch (kind) {
      case IDENTITY, BINARY_STEP, RELU, LEAKY_RELU -> 0;
      case SIGMOID -> h * (1 - h) * (1 - 2 * h);
      case TANH -> -2 * h * (1 - h * h);
      case LECUN_TANH -> {
        double t = Math.tanh(2.0 * z / 3.0);
        yield 1.7159 * 4.0 / 9.0 * -2 * t * (1 - t * t);
      }
      case GELU -> Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI) * (2 - z * z);
      case ELU -> z > 0 ? 0 : p[0] * Math.exp(z);
      case SELU -> z > 0 ? 0 : SELU_SCALE * SELU_ALPHA * Math.exp(z);
      case SILU -> {
        double s = sigmoid(z);
        yield s * (1 - s) * (2 + z * (1 - 2 * s));
      }
      case GAUSSIAN -> (4 * z * z - 2) * h;
      case SOFTPLUS -> sigmoid(z) * (1 - sigmoid(z));
      case SOBOLEVA, SOFTMAX -> throw new IllegalStateException(kind.cliName + " has no second derivative here");
    };
  }

  /** Whether {@link #secondDerivative} is defined. */
  boolean hasSecondDerivative() {
    return kind != Kind.SOBOLEVA && kind != Kind.SOFTMAX;
  }

  /** h = f(z), in place. */
  void applyInPlace(INDArray z) {
    switch (kind) {
      case IDENTITY -> { }
      case SIGMOID -> Transforms.sigmoid(z, false);
      case TANH -> Transforms.tanh(z, false);
      case RELU -> Transforms.relu(z, false);
      case SOFTMAX -> throw new IllegalStateException("softmax is an output activation only");
      default -> {
        DataBuffer values = z.data();
        for (long i = 0; i < z.length(); i++) {
          values.put(i, value(values.getDouble(i)));
        }
      }
    }
  }

  /**
   * delta *= f'(z), from h = f(z) and, for the kinds that need it, the kept pre-activation z
   * (null otherwise); {@code scratch} is free to use.
   */
  void multiplyByDerivative(INDArray z, INDArray h, INDArray delta, INDArray scratch) {
    if ((kind == Kind.SIGMOID || kind == Kind.TANH || kind == Kind.RELU) && Elementwise.contiguous(h)
        && Elementwise.contiguous(delta)) {
      // One Java pass with the same float operations as the ND4J ops below (see Elementwise).
      Elementwise.multiplyByDerivative(this, h, delta);
      return;
    }
    switch (kind) {
      case IDENTITY -> { }
      case SIGMOID -> delta.muli(scratch.assign(h).rsubi(1.0).muli(h));
      case TANH -> delta.muli(scratch.assign(h).muli(h).rsubi(1.0));
      // relu'(z) = 1 for z > 0, else 0 (as PyTorch), which is sign(h) since h >= 0.
      case RELU -> delta.muli(Transforms.sign(scratch.assign(h), false));
      case SOFTMAX -> throw new IllegalStateException("softmax is an output activation only");
      default -> {
        DataBuffer zs = z == null ? null : z.data();
        DataBuffer hs = h.data();
        DataBuffer ds = delta.data();
        for (long i = 0; i < delta.length(); i++) {
          double zi = zs == null ? Double.NaN : zs.getDouble(i);
          ds.put(i, ds.getDouble(i) * derivative(zi, hs.getDouble(i)));
        }
      }
    }
  }

  /** Output activation of one sample's k logits z[from, from + k), into out[0, k), in plain Java. */
  void applyToRow(double[] z, int from, int k, double[] out) {
    if (kind == Kind.SOFTMAX) {
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
      return;
    }
    for (int j = 0; j < k; j++) {
      out[j] = value(z[from + j]);
    }
  }

  /** The threshold that turns a single output into a class: 0 for outputs centred on 0, else 0.5. */
  double decisionThreshold() {
    return switch (kind) {
      case TANH, LECUN_TANH, SOBOLEVA -> 0.0;
      default -> 0.5;
    };
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Activation a && a.kind == kind && Arrays.equals(a.p, p);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Arrays.hashCode(p);
  }

  @Override
  public String toString() {
    return cliName();
  }
}
