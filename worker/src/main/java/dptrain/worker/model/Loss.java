package dptrain.worker.model;

import java.util.Arrays;

/**
 * Losses, per sample, with PyTorch's meanings: {@code mse} is the mean over the k outputs of
 * (y - p)^2 (as {@code nn.MSELoss}); {@code mae} the mean of |y - p| (as {@code nn.L1Loss});
 * {@code huber} the mean of 0.5 r^2 for |r| <= 1 and |r| - 0.5 beyond (as {@code nn.HuberLoss},
 * delta 1); {@code bce} is computed from logits, stably, averaged over the k outputs (as
 * {@code nn.BCEWithLogitsLoss}); {@code ce} is softmax fused with cross-entropy, stably (as
 * {@code nn.CrossEntropyLoss}). Trainers average over samples; here
 * each call returns the <em>sum</em> over its n samples, so micro-batches add up exactly.
 */
public enum Loss {
  MSE("mse"),
  MAE("mae"),
  HUBER("huber"),
  BCE("bce"),
  CE("ce");

  private final String cliName;

  Loss(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static Loss fromName(String name) {
    return Arrays.stream(values())
        .filter(l -> l.cliName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown loss '" + name + "' (allowed: ce, bce, mse, mae, huber)"));
  }

  /** The output activation this loss is fused with, or null when it works after any. */
  public Activation fusedOutput() {
    return switch (this) {
      case CE -> Activation.SOFTMAX;
      case BCE -> Activation.SIGMOID;
      case MSE, MAE, HUBER -> null;
    };
  }

  /** Whether this loss can follow {@code output}: a fused loss only its own output, the others any. */
  public boolean fitsOutput(Activation output) {
    return fusedOutput() == null || fusedOutput().equals(output);
  }

  /** The output a user means when they name only the loss. */
  public Activation defaultOutput() {
    return fusedOutput() == null ? Activation.IDENTITY : fusedOutput();
  }

  /**
   * Sum over n samples of the loss of logits z (row-major [n, k]) against targets y; when
   * {@code dz} is not null, writes the gradient of each sample's loss with respect to its logits.
   */
  double evaluate(double[] z, double[] y, int n, int k, Activation output, double[] dz) {
    return evaluate(z, y, n, k, output, dz, 0);
  }

  /**
   * The same, with ce's targets smoothed by {@code smoothing} (eps) as torch's
   * {@code CrossEntropyLoss(label_smoothing=eps)}: each row's target becomes (1 - eps) y + eps / k.
   * The other losses take 0 only.
   */
  double evaluate(double[] z, double[] y, int n, int k, Activation output, double[] dz, double smoothing) {
    return evaluate(z, y, n, k, output, dz, smoothing, null);
  }

  /**
   * The same, each sample's loss (and gradient) times its weight in {@code rowWeights} (null: 1),
   * as a weighted loss for boosting's members.
   */
  double evaluate(double[] z, double[] y, int n, int k, Activation output, double[] dz, double smoothing, double[] rowWeights) {
    if (smoothing != 0 && this != CE) {
      throw new IllegalArgumentException("label smoothing is for the ce loss, not " + cliName);
    }
    double total = 0;
    double[] p = fusedOutput() == null ? new double[k] : null;
    for (int i = 0; i < n; i++) {
      int row = i * k;
      double own = switch (this) {
        case CE -> crossEntropy(z, y, row, k, dz, smoothing);
        case BCE -> binaryCrossEntropy(z, y, row, k, dz);
        case MSE, MAE, HUBER -> regression(z, y, row, k, output, p, dz);
      };
      if (rowWeights != null) {
        own *= rowWeights[i];
        for (int j = row; dz != null && j < row + k; j++) {
          dz[j] *= rowWeights[i];
        }
      }
      total += own;
    }
    return total;
  }

  private static double crossEntropy(double[] z, double[] y, int row, int k, double[] dz, double smoothing) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = row; j < row + k; j++) {
      max = Math.max(max, z[j]);
    }
    double sum = 0;
    for (int j = row; j < row + k; j++) {
      sum += Math.exp(z[j] - max);
    }
    double logSumExp = max + Math.log(sum);
    double loss = 0;
    for (int j = row; j < row + k; j++) {
      double target = smoothing == 0 ? y[j] : (1 - smoothing) * y[j] + smoothing / k;
      loss += target * (logSumExp - z[j]);
      if (dz != null) {
        dz[j] = Math.exp(z[j] - logSumExp) - target;
      }
    }
    return loss;
  }

  private static double binaryCrossEntropy(double[] z, double[] y, int row, int k, double[] dz) {
    double loss = 0;
    for (int j = row; j < row + k; j++) {
      double x = z[j];
      loss += Math.max(x, 0) - x * y[j] + Math.log1p(Math.exp(-Math.abs(x)));
      if (dz != null) {
        dz[j] = (Activation.sigmoid(x) - y[j]) / k;
      }
    }
    return loss / k;
  }

  /** The per-output loss of residual r = p - y, and its derivative with respect to p. */
  private double residualLoss(double r) {
    return switch (this) {
      case MSE -> r * r;
      case MAE -> Math.abs(r);
      case HUBER -> Math.abs(r) <= 1 ? 0.5 * r * r : Math.abs(r) - 0.5;
      default -> throw new IllegalStateException(cliName + " is not a regression loss");
    };
  }

  private double residualDerivative(double r) {
    return switch (this) {
      case MSE -> 2 * r;
      // torch's sign(0) = 0 for L1Loss
      case MAE -> Math.signum(r);
      case HUBER -> Math.abs(r) <= 1 ? r : Math.signum(r);
      default -> throw new IllegalStateException(cliName + " is not a regression loss");
    };
  }

  private double regression(double[] z, double[] y, int row, int k, Activation output, double[] p, double[] dz) {
    output.applyToRow(z, row, k, p);
    double loss = 0;
    double dot = 0;
    for (int j = 0; j < k; j++) {
      double r = p[j] - y[row + j];
      loss += residualLoss(r);
      dot += residualDerivative(r) / k * p[j];
    }
    if (dz != null) {
      for (int j = 0; j < k; j++) {
        double dp = residualDerivative(p[j] - y[row + j]) / k;
        // softmax's Jacobian-vector product: p * (dp - <dp, p>)
        dz[row + j] = output == Activation.SOFTMAX ? p[j] * (dp - dot) : dp * output.derivative(z[row + j], p[j]);
      }
    }
    return loss / k;
  }

  /**
   * A warning for an unusual pairing (softmax outputs with a per-output loss such as bce, or a
   * sigmoid output with ce), or null when the pairing is usual.
   */
  public static String oddPairWarning(Loss loss, Activation output) {
    if (output.equals(Activation.SOFTMAX) && loss != CE) {
      return "softmax outputs with --loss " + loss.cliName + ": the outputs are coupled; ce is the usual loss for softmax";
    }
    if (output.equals(Activation.SIGMOID) && loss == CE) {
      return "sigmoid outputs with --loss ce: ce applies its own softmax; bce is the usual loss for sigmoid outputs";
    }
    return null;
  }
}
