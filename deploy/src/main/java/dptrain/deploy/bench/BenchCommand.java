package dptrain.deploy.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dptrain bench}: benchmarks that print tables. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print tables of measured numbers.",
    subcommands = {ScalingBench.class, CompareBench.class, ThroughputBench.class, ModesBench.class, CompressionBench.class, LargeModelBench.class})
public final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(System.out);
    return 0;
  }
}
