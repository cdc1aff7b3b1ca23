package dptrain.deploy.train;

import static dptrain.deploy.train.OptimizationOptions.put;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The model flags of {@code train} and {@code coordinator}: the layers, activations, loss,
 * initialisation, multitask heads, batch norm's statistics and the noise on the training targets. Each is also a HOCON key.
 */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "LAYERS", description = {
      "Layers joined by '-', input width first (default: auto = <inputs>-256-128-<outputs>): W a dense layer,",
      "W:ACT one with its own activation (also prelu, maxout:K, rbf); before a dense layer dropout:P,",
      "gdropout:S, noise:S, dropconnect:P, init:SCHEME; after a hidden layer bn[:M] (batch norm),",
      "e.g. 784-dropout:0.8-512:relu-bn-256:gelu-10."})
  String model;

  @Option(names = "--activation", paramLabel = "NAME[:P,..]", description = {
      "Hidden activation: identity | binary-step | sigmoid | tanh | lecun-tanh | soboleva:a,b,c,d | relu |",
      "leaky-relu[:alpha] | gelu | elu[:alpha] | selu | silu | gaussian | softplus (default relu)."})
  String activation;

  @Option(names = "--output", paramLabel = "NAME", description = "Output activation: softmax, or any hidden one (default: the loss's).")
  String output;

  @Option(names = "--loss", paramLabel = "NAME", description = "ce (softmax cross-entropy) | bce (from logits) | mse | mae | huber (default ce).")
  String loss;

  @Option(names = "--heads", paramLabel = "W:LOSS[:WEIGHT],..", description = {
      "Multitask learning: one trunk, several heads side by side in the output layer, each with its own",
      "loss (ce, bce, mse, mae, huber) and weight in the summed loss (default 1), e.g. 2:ce,1:mse:0.5.",
      "Each head reads the data's next target columns (ce one class index, the others one per output);",
      "the trunk learns from every head. Replaces --loss and --output (default: none, one loss)."})
  String heads;

  @Option(names = "--init", paramLabel = "SCHEME[,..]", description = {
      "Weight initialisation, one scheme or one per layer: auto | uniform:A | normal:S | lecun-normal |",
      "lecun-uniform | glorot-normal | glorot-uniform | he-normal | he-uniform | orthogonal (default auto:",
      "he-normal for relu layers, glorot-uniform otherwise)."})
  String init;

  @Option(names = "--bias-init", paramLabel = "zero|const:C", description = "Bias initialisation, one or one per layer (default zero).")
  String biasInit;

  @Option(names = "--sync-batch-norm", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL", description = {
      "Batch norm with the whole global batch's statistics, exchanged between the workers (as",
      "torch.nn.SyncBatchNorm); default: each micro-batch's own (as PyTorch DDP)."})
  Boolean syncBatchNorm;

  @Option(names = "--label-smoothing", paramLabel = "EPS", description = {
      "Train on smoothed class targets, (1 - EPS) y + EPS / k, as torch's CrossEntropyLoss(label_smoothing=EPS):",
      "output noise against over-confident predictions. --loss ce only; EPS in [0, 1) (default 0: none).",
      "Test and validation losses are scored on the plain targets."})
  Double labelSmoothing;

  @Option(names = "--target-noise", paramLabel = "S", description = {
      "Train on regression targets with N(0, S^2) noise added, drawn anew per (seed, step, row, output):",
      "output noise for --loss mse, mae or huber (default 0: none). Test and validation losses use the plain targets."})
  Double targetNoise;

  void addTo(Map<String, Object> keys) {
    put(keys, "model", model);
    put(keys, "activation", activation);
    put(keys, "output", output);
    put(keys, "loss", loss);
    put(keys, "heads", heads);
    put(keys, "init", init);
    put(keys, "bias-init", biasInit);
    put(keys, "sync-batch-norm", syncBatchNorm);
    put(keys, "label-smoothing", labelSmoothing);
    put(keys, "target-noise", targetNoise);
  }
}
