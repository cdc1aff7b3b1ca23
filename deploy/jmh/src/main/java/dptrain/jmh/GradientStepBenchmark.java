package dptrain.jmh;

import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.Nd4jThreads;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward/backward pass of the default model (784-256-128-10 relu, softmax, ce) over a
 * micro-batch of Fashion-MNIST rows (drawn over the whole training set) on one ND4J thread: what a worker computes per step. The
 * summed gradient lands in a preallocated buffer, as in the worker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class GradientStepBenchmark {
  @Param({"128", "64"})
  public int rows;

  private Mlp model;
  private ParameterViews parameters;
  private ParameterViews gradient;
  private Dataset data;
  private int[][] batches;
  private int next;

  @Setup
  public void load() {
    Nd4jThreads.apply(1);
    data = DataSource.load(new DataSpec("fashion-mnist", 1, 0)).train();
    var grammar = ModelGrammar.parse("784-256-128-10");
    model = new Mlp(new ModelSpec(grammar.widths(), "relu", "softmax", "ce", grammar.layers()), Precision.FLOAT32);
    parameters = model.allocate();
    for (int i = 0; i < parameters.flat().length(); i++) {
      parameters.flat().putScalar(i, Math.sin(i) * 0.05);
    }
    gradient = model.allocate();
    // Rows drawn over the whole training set, as an epoch's permutation draws them.
    var draw = new java.util.Random(1);
    batches = IntStream.range(0, 512).mapToObj(b -> draw.ints(rows, 0, data.rows()).toArray()).toArray(int[][]::new);
  }

  @Benchmark
  public double step() {
    int[] batch = batches[next++ % batches.length];
    return model.gradient(parameters, data, batch, gradient, new DropoutMasks(0, next));
  }
}
