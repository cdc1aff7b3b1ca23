package dptrain.jmh;

import dptrain.protocol.job.OptimizerCatalog;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.ps.optim.Optimizer;
import dptrain.ps.optim.Optimizers;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * A shard piece's optimizer step (49,152 float32 parameters, the default piece) for the default
 * Adam and for SGD with momentum. Parameters per second = 49,152 x operations per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OptimizerApplyBenchmark {
  static final int VALUES = TensorCodecBenchmark.VALUES;

  @Param({"adam", "momentum"})
  public String optimizer;

  private Optimizer step;
  private FlatArray parameters;
  private FlatArray gradient;

  @Setup
  public void create() {
    parameters = FlatArray.zeros(Precision.FLOAT32, VALUES);
    gradient = FlatArray.zeros(Precision.FLOAT32, VALUES);
    for (int i = 0; i < VALUES; i++) {
      parameters.set(i, Math.cos(i) * 0.05);
      gradient.set(i, Math.sin(i) * 1e-3);
    }
    step = Optimizers.create(OptimizerCatalog.resolve(optimizer, Map.of()), parameters);
  }

  @Benchmark
  public FlatArray apply() {
    step.step(parameters, gradient, 1e-3);
    return parameters;
  }
}
