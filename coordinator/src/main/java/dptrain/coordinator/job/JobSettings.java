package dptrain.coordinator.job;

import dptrain.coordinator.plan.Curriculum;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the Coordinator needs to run one training job, already validated.
 *
 * @param batch global batch size; 0 means the full training set
 * @param steps steps to run; 0 means {@code epochs} whole epochs
 * @param optimization the optimizer, schedule, penalties and precision
 * @param initialParameters the starting flat vector (at the job's precision), or null for the seeded initialisation
 * @param initialization the schemes of the seeded initialisation
 * @param runDir where metrics.jsonl goes, or null for none
 * @param evalEvery evaluate on the test set after every this many epochs (and after the last step)
 * @param evalSteps when > 0, evaluate every this many steps instead
 * @param earlyStopping watch the validation loss and stop, keeping the best parameters (needs a validation set)
 * @param rbfStage for RBF networks: "" (train everything), {@code place} (only place the first
 *     layer's centres and widths by data-parallel k-means++ and Lloyd, no training), {@code output}
 *     (train with every RBF layer's centres and widths frozen)
 * @param curriculum the easy-to-hard order of the first epochs, or null
 * @param checkpointing when checkpoints are written, and the one to resume from
 * @param compression how the workers compress the gradients they push
 * @param consistency sync, async, ssp (with its staleness bound) or backup (with its backup workers)
 * @param retryAfter a step silent this long has its micro-batches sent again (to other workers;
 *     the shards take each once), until {@code stepTimeout} fails the job
 * @param lookahead how many steps beyond the current one may be handed to workers early
 * @param psOnWorkers run the shards on the workers' nodes (true) or on the Coordinator's (false)
 * @param reductionGroups 0, or the number of canonical groups each global batch is summed in
 *     (a multiple of the worker count with a power of two per worker): then any such worker
 *     count gives the same parameters bit for bit
 * @param expectedWorkers the worker nodes expected to join, as {@code host:port} (from the
 *     launcher's hosts file), named while the job waits for them; empty when unknown
 */
public record JobSettings(
    String jobId,
    ModelSpec model,
    DataSpec data,
    Optimization optimization,
    int batch,
    int epochs,
    long steps,
    boolean shuffle,
    int workers,
    int psShards,
    long seed,
    FlatArray initialParameters,
    Initialization initialization,
    Path runDir,
    int evalBatch,
    int evalEvery,
    int maxChunkFloats,
    Duration stepTimeout,
    Duration readyTimeout,
    int lookahead,
    boolean psOnWorkers,
    int reductionGroups,
    long evalSteps,
    EarlyStoppingSpec earlyStopping,
    String rbfStage,
    Curriculum curriculum,
    Checkpointing checkpointing,
    Duration retryAfter,
    Consistency consistency,
    dptrain.protocol.job.CompressionSpec compression,
    java.util.List<String> expectedWorkers) {

  /** Lloyd steps at most when placing RBF centres. */
  public static final int KMEANS_ITERATIONS = 100;

  public JobSettings {
    expectedWorkers = java.util.List.copyOf(expectedWorkers);
  }

  /** These settings with another retry interval. */
  public JobSettings withRetryAfter(Duration retry) {
    return new JobSettings(jobId, model, data, optimization, batch, epochs, steps, shuffle, workers, psShards, seed,
        initialParameters, initialization, runDir, evalBatch, evalEvery, maxChunkFloats, stepTimeout, readyTimeout, lookahead,
        psOnWorkers, reductionGroups, evalSteps, earlyStopping, rbfStage, curriculum, checkpointing, retry, consistency, compression,
        expectedWorkers);
  }

  /** These settings naming the worker nodes ({@code host:port}) expected to join. */
  public JobSettings withExpectedWorkers(java.util.List<String> nodes) {
    return new JobSettings(jobId, model, data, optimization, batch, epochs, steps, shuffle, workers, psShards, seed,
        initialParameters, initialization, runDir, evalBatch, evalEvery, maxChunkFloats, stepTimeout, readyTimeout, lookahead,
        psOnWorkers, reductionGroups, evalSteps, earlyStopping, rbfStage, curriculum, checkpointing, retryAfter, consistency,
        compression, nodes);
  }

  public int effectiveBatch(int rows) {
    return batch == 0 ? rows : Math.min(batch, rows);
  }
}
