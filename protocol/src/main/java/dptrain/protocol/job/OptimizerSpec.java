package dptrain.protocol.job;

/**
 * An optimizer and its hyper-parameters, named and meant as in torch.optim. Built by
 * {@link #of}, which refuses values outside their ranges with a message naming the option.
 * Travels to the parameter-server shards, wherever they run.
 */
public record OptimizerSpec(
    String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
    double beta1, double beta2, double eps) {

  public static final String ALLOWED = "sgd, adam";

  public static OptimizerSpec of(
      String name, double lr, double momentum, double dampening, boolean nesterov, double weightDecay,
      double beta1, double beta2, double eps) {
    if (!name.equals("sgd") && !name.equals("adam")) {
      throw new IllegalArgumentException("unknown optimizer '" + name + "' (allowed: " + ALLOWED + ")");
    }
    positive("--lr", lr);
    atLeastZero("--weight-decay", weightDecay);
    if (name.equals("sgd")) {
      atLeastZero("--momentum", momentum);
      atLeastZero("--dampening", dampening);
      if (nesterov && (momentum <= 0 || dampening != 0)) {
        throw new IllegalArgumentException("--nesterov needs --momentum > 0 and --dampening 0");
      }
    } else {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("--betas must both lie in [0, 1), got " + beta1 + "," + beta2);
      }
      positive("--eps", eps);
      if (momentum != 0 || nesterov) {
        throw new IllegalArgumentException("--momentum and --nesterov are options of sgd, not adam");
      }
    }
    return new OptimizerSpec(name, lr, momentum, dampening, nesterov, weightDecay, beta1, beta2, eps);
  }

  private static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a number > 0, got " + value);
    }
  }

  private static void atLeastZero(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a number >= 0, got " + value);
    }
  }
}
