package dptrain.worker.model;

/**
 * What a hidden layer's units do with the dense layer's output: an element-wise
 * {@link Activation}; {@code prelu}, leaky relu with one learned slope alpha for the layer
 * (He et al. 2015, PyTorch's PReLU, alpha starts at 0.25); {@code maxout:K}, each unit the max of
 * K linear pieces (Goodfellow et al. 2013, so the dense layer has K times the units); or
 * {@code rbf}, Gaussian radial-basis units exp(-||x - mu_j||^2 / (2 sigma_j^2)) with learned
 * centres mu_j (stored where a dense layer keeps its weights) and widths sigma_j (where it
 * keeps its biases).
 */
public record HiddenUnits(Kind kind, Activation activation, int pieces) {
  public enum Kind { ELEMENTWISE, PRELU, MAXOUT, RBF }

  public static final String ALLOWED = Activation.ALLOWED.replace(", softmax", "") + ", prelu, maxout:K, rbf";

  /** PReLU's starting slope (PyTorch's). */
  public static final double PRELU_INIT = 0.25;

  public static HiddenUnits parse(String name) {
    String text = name.trim();
    if (text.equals("prelu")) {
      return new HiddenUnits(Kind.PRELU, null, 1);
    }
    if (text.equals("rbf")) {
      return new HiddenUnits(Kind.RBF, null, 1);
    }
    if (text.equals("maxout") || text.startsWith("maxout:")) {
      int pieces;
      try {
        pieces = Integer.parseInt(text.substring(Math.min(text.length(), 7)));
      } catch (NumberFormatException e) {
        pieces = 0;
      }
      if (pieces < 2) {
        throw new IllegalArgumentException("maxout takes a number of pieces >= 2, e.g. maxout:3, got '" + text + "'");
      }
      return new HiddenUnits(Kind.MAXOUT, null, pieces);
    }
    Activation activation;
    try {
      activation = Activation.fromName(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown activation '" + text + "' (allowed: " + ALLOWED + ")");
    }
    if (!activation.isHiddenCapable()) {
      throw new IllegalArgumentException("activation '" + activation.cliName() + "' cannot be used in hidden layers"
          + " (allowed: " + ALLOWED + ")");
    }
    return new HiddenUnits(Kind.ELEMENTWISE, activation, 1);
  }

  /** Whether the units need the dense layer's output z kept for the backward pass. */
  boolean needsPreActivation() {
    return kind != Kind.ELEMENTWISE || activation.needsPreActivation();
  }

  /** The activation {@code --init auto} looks at: relu for relu-like units (He), else this one. */
  Activation initHint() {
    return switch (kind) {
      case ELEMENTWISE -> activation;
      case PRELU -> Activation.RELU;
      default -> Activation.IDENTITY;
    };
  }
}
