package dptrain.deploy.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code dptrain example}: the lectures' small experiments, run on the real trainer. */
@Command(name = "example", mixinStandardHelpOptions = true,
    description = "The lectures' experiments, run on a local cluster; each prints its table.",
    subcommands = {LinearRegressionExample.class, XorExample.class, RbfExample.class})
public final class ExamplesCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    new picocli.CommandLine(this).usage(System.out);
    return 0;
  }
}
