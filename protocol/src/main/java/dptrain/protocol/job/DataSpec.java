package dptrain.protocol.job;

/**
 * Which data a job reads: a source as {@code --data} takes it ({@code fashion-mnist},
 * {@code idx:DIR}, {@code csv:TRAIN[,TEST]}, {@code synthetic:NAME}), the number of target
 * columns for CSV, and the seed that draws synthetic sets. Every node resolves it locally.
 */
public record DataSpec(String source, int targets, long seed) {}
