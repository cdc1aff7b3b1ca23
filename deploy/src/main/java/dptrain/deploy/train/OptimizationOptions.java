package dptrain.deploy.train;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The optimization flags of {@code train}, {@code coordinator} and {@code compare}: the method
 * and its options (named as in torch.optim, in kebab case), the schedule, penalties, gradient
 * handling and precision. Each is also a HOCON key; an optimizer option left out takes that
 * optimizer's default.
 */
public final class OptimizationOptions {
  @Option(names = "--optimizer", paramLabel = "NAME", description = {
      "sgd | momentum | nesterov | adagrad | rmsprop | rmsprop-nesterov | adam | adamw | adamax |",
      "nadam | adadelta | lbfgs | cg | newton (default adam). sgd, adagrad, rmsprop, adam, adamw, adamax,",
      "nadam, adadelta as torch.optim; momentum and nesterov are the textbook forms (Goodfellow",
      "et al. alg. 8.2, 8.3; nesterov takes gradients at the look-ahead point); rmsprop-nesterov is",
      "alg. 8.6; lbfgs (strong-Wolfe line search, as torch.optim.LBFGS), cg (Polak-Ribiere) and",
      "newton (eq. 8.28: [H + alpha I]^-1 g by CG on exact Hessian-vector products) are full-batch."})
  String optimizer;

  @Option(names = "--lr", paramLabel = "LR", description = "Learning rate > 0 (default: the optimizer's, e.g. adam 0.001, sgd 0.01).")
  Double lr;

  @Option(names = "--momentum", paramLabel = "M", description = "sgd, momentum, nesterov, rmsprop, rmsprop-nesterov: in [0, 1).")
  Double momentum;

  @Option(names = "--dampening", paramLabel = "D", description = "sgd: dampening in [0, 1].")
  Double dampening;

  @Option(names = "--nesterov", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "sgd: torch's Nesterov momentum (needs momentum > 0, dampening 0).")
  Boolean nesterov;

  @Option(names = "--weight-decay", paramLabel = "L", description = "Coupled L2 on every parameter, as torch.optim (adamw: decoupled).")
  Double weightDecay;

  @Option(names = "--betas", paramLabel = "B1,B2", description = "adam, adamw, adamax, nadam: two numbers in [0, 1).")
  String betas;

  @Option(names = "--eps", paramLabel = "E", description = "Term added for numerical stability, > 0.")
  Double eps;

  @Option(names = "--alpha", paramLabel = "A", description = "rmsprop, rmsprop-nesterov: smoothing constant in [0, 1).")
  Double alpha;

  @Option(names = "--centered", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "rmsprop: normalise by the estimated variance.")
  Boolean centered;

  @Option(names = "--lr-decay", paramLabel = "D", description = "adagrad: learning-rate decay >= 0.")
  Double lrDecay;

  @Option(names = "--initial-accumulator-value", paramLabel = "V", description = "adagrad: starting sum of squares >= 0.")
  Double initialAccumulatorValue;

  @Option(names = "--amsgrad", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "adam, adamw: the AMSGrad variant.")
  Boolean amsgrad;

  @Option(names = "--rho", paramLabel = "R", description = "adadelta: decay in [0, 1].")
  Double rho;

  @Option(names = "--momentum-decay", paramLabel = "D", description = "nadam: momentum decay >= 0 (default 0.004).")
  Double momentumDecay;

  @Option(names = "--history-size", paramLabel = "N", description = "lbfgs: update history size (default 100).")
  Integer historySize;

  @Option(names = "--damping", paramLabel = "ALPHA", description = {
      "newton: the initial alpha > 0 of H + alpha I (default 0.001), then Levenberg-Marquardt: times 3/2",
      "after a step the quadratic model over-promised, times 2/3 after one it predicted well."})
  Double damping;

  @Option(names = "--cg-iterations", paramLabel = "N", description = "newton: Hessian-vector products per step at most (default 50).")
  Integer cgIterations;

  @Option(names = "--cg-tolerance", paramLabel = "T", description = "newton: CG stops at a residual below T |g| (default 1e-10).")
  Double cgTolerance;

  @Option(names = "--exact-hessian", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = {
      "newton: build the whole Hessian each iteration (one product per parameter; models of at most 4096",
      "parameters) and solve by Cholesky, instead of CG on products."})
  Boolean exactHessian;

  @Option(names = "--tolerance-grad", paramLabel = "T", description = "lbfgs, cg, newton: stop when the largest gradient value is below this.")
  Double toleranceGrad;

  @Option(names = "--tolerance-change", paramLabel = "T", description = "lbfgs, cg, newton: stop when a step changes loss or parameters less.")
  Double toleranceChange;

  @Option(names = "--schedule", paramLabel = "NAME[:K=V,..]", description = {
      "Learning-rate schedule: constant | linear[:tau=,final=] | step[:every=,gamma=] |",
      "exponential[:gamma=] | plateau[:patience=,factor=,threshold=,min=] | cosine[:period=,min=] |",
      "one-cycle[:pct=,div=,final-div=] | sgdr[:period=,mult=,min=] (steps; default constant)."})
  String schedule;

  @Option(names = "--warmup", paramLabel = "STEPS", description = "Linear warm-up over this many steps in front of the schedule.")
  Long warmup;

  @Option(names = "--lr-scaling-base", paramLabel = "B",
      description = "Linear scaling rule: lr times the global batch over B (Goyal et al. 2017); 0 = off.")
  Integer lrScalingBase;

  @Option(names = "--l1", paramLabel = "A[,A..]", description = "L1 penalty alpha*sign(w): one value, or one per layer.")
  String l1;

  @Option(names = "--l2", paramLabel = "L[,L..]", description = "Coupled L2 penalty lambda*w (biases excluded): one value or one per layer.")
  String l2;

  @Option(names = "--decoupled-decay", paramLabel = "L[,L..]", description = "Decoupled weight decay w -= lr*lambda*w, any optimizer.")
  String decoupledDecay;

  @Option(names = "--penalize-biases", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
      description = "Apply --l1, --l2 and --decoupled-decay to the biases too.")
  Boolean penalizeBiases;

  @Option(names = "--clip-value", paramLabel = "C", description = "Clip every gradient value to [-C, C]; 0 = off.")
  Double clipValue;

  @Option(names = "--clip-norm", paramLabel = "N", description = "Scale the whole gradient (all shards) to norm <= N; 0 = off.")
  Double clipNorm;

  @Option(names = "--grad-noise", paramLabel = "ETA", description = "Annealed gradient noise, variance ETA/(1+t)^gamma; 0 = off.")
  Double gradNoise;

  @Option(names = "--grad-noise-gamma", paramLabel = "GAMMA", description = "Annealing exponent of --grad-noise (default 0.55).")
  Double gradNoiseGamma;

  @Option(names = "--tie", paramLabel = "LAMBDA", description = {
      "Parameter tying of a model pair (--data pair:A|B): adds LAMBDA ||W_A - W_B||^2 over each pair of",
      "corresponding weights, applied at the shard (one shard, sync mode); 0 = off (default)."})
  Double tie;

  @Option(names = "--dtype", paramLabel = "float32|float64", description = "Precision of parameters, gradients and optimizer state.")
  String dtype;

  void addTo(Map<String, Object> keys) {
    put(keys, "optimizer", optimizer);
    put(keys, "lr", lr);
    put(keys, "momentum", momentum);
    put(keys, "dampening", dampening);
    put(keys, "nesterov", nesterov);
    put(keys, "weight-decay", weightDecay);
    put(keys, "betas", betas);
    put(keys, "eps", eps);
    put(keys, "alpha", alpha);
    put(keys, "centered", centered);
    put(keys, "lr-decay", lrDecay);
    put(keys, "initial-accumulator-value", initialAccumulatorValue);
    put(keys, "amsgrad", amsgrad);
    put(keys, "rho", rho);
    put(keys, "momentum-decay", momentumDecay);
    put(keys, "history-size", historySize);
    put(keys, "damping", damping);
    put(keys, "cg-iterations", cgIterations);
    put(keys, "cg-tolerance", cgTolerance);
    put(keys, "exact-hessian", exactHessian);
    put(keys, "tolerance-grad", toleranceGrad);
    put(keys, "tolerance-change", toleranceChange);
    put(keys, "schedule", schedule);
    put(keys, "warmup", warmup);
    put(keys, "lr-scaling-base", lrScalingBase);
    put(keys, "l1", l1);
    put(keys, "l2", l2);
    put(keys, "decoupled-decay", decoupledDecay);
    put(keys, "penalize-biases", penalizeBiases);
    put(keys, "clip-value", clipValue);
    put(keys, "clip-norm", clipNorm);
    put(keys, "grad-noise", gradNoise);
    put(keys, "grad-noise-gamma", gradNoiseGamma);
    put(keys, "tie", tie);
    put(keys, "dtype", dtype);
  }

  static void put(Map<String, Object> keys, String key, Object value) {
    if (value != null) {
      keys.put(key, value);
    }
  }
}
