package dptrain.deploy.help;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which topic each option of a training job belongs to in {@code --help}, in the order a user
 * meets them: what to learn from, what model, how to optimise it, for how long, how to
 * regularise it, on what cluster, with what checkpoints, and what comes out. Options no topic
 * names are listed last, under "Other options".
 */
final class HelpTopics {
  static final Map<String, List<String>> TRAINING = new LinkedHashMap<>();

  static {
    TRAINING.put("Data", List.of("--data", "--targets", "--csv-header", "--standardize", "--augment", "--validation",
        "--shuffle", "--curriculum", "--curriculum-epochs", "--sample-weights"));
    TRAINING.put("Model", List.of("--model", "--activation", "--output", "--loss", "--heads", "--init", "--bias-init",
        "--sync-batch-norm", "--label-smoothing", "--target-noise", "--rbf", "--dtype"));
    TRAINING.put("Optimizer", List.of("--optimizer", "--lr", "--momentum", "--dampening", "--nesterov", "--weight-decay",
        "--betas", "--eps", "--alpha", "--centered", "--lr-decay", "--initial-accumulator-value", "--amsgrad", "--rho",
        "--momentum-decay", "--history-size", "--damping", "--cg-iterations", "--cg-tolerance", "--exact-hessian", "--tolerance-grad", "--tolerance-change"));
    TRAINING.put("Schedule and stopping", List.of("--batch", "--epochs", "--steps", "--schedule", "--warmup",
        "--lr-scaling-base", "--eval-every", "--eval-steps", "--early-stopping", "--patience"));
    TRAINING.put("Regularisation", List.of("--l1", "--l2", "--decoupled-decay", "--penalize-biases", "--clip-value",
        "--clip-norm", "--grad-noise", "--grad-noise-gamma", "--tie"));
    TRAINING.put("Runtime and consistency modes", List.of("--workers", "--workers-per-node", "--processes", "--ps-shards",
        "--ps-placement", "--mode", "--staleness", "--backup-workers", "--compression", "--reduction-groups", "--seed"));
    TRAINING.put("Cluster (real nodes)", List.of("--host", "--port", "--bind-port", "--standby", "--seed-nodes",
        "--expect-workers", "--tls", "--insecure"));
    TRAINING.put("Checkpoints and starting points", List.of("--checkpoint-every", "--checkpoint-epoch-end",
        "--checkpoint-interval", "--keep-checkpoints", "--resume", "--resume-checkpoint", "--init-params"));
    TRAINING.put("Output", List.of("--run-dir", "--export-params", "--quiet", "--log-format", "--dashboard-port",
        "--dashboard-host", "--no-dashboard"));
    TRAINING.put("General", List.of("--config", "--help", "--version"));
  }

  private HelpTopics() {}

  /** The topics of a command's options, or an empty map when its options are few enough for one list. */
  static Map<String, List<String>> of(String command) {
    return switch (command) {
      case "dptrain train", "dptrain coordinator", "dptrain compare", "dptrain bag" -> TRAINING;
      default -> Map.of();
    };
  }
}
