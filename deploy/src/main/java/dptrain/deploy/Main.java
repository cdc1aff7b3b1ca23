package dptrain.deploy;

import dptrain.deploy.bagging.BagCommand;
import dptrain.deploy.bench.BenchCommand;
import dptrain.deploy.cluster.WorkerCommand;
import dptrain.deploy.compare.CompareCommand;
import dptrain.deploy.examples.ExamplesCommand;
import dptrain.deploy.launch.LaunchCommand;
import dptrain.deploy.security.CertsCommand;
import dptrain.deploy.security.CheckTlsCommand;
import dptrain.deploy.train.CoordinatorCommand;
import dptrain.deploy.train.EvaluateCommand;
import dptrain.deploy.train.TrainCommand;
import dptrain.worker.data.DataException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dptrain} command line. */
@Command(name = "dptrain", mixinStandardHelpOptions = true, version = "dptrain 0.1.0",
    description = "Distributed data-parallel neural-network training on an Akka cluster with ND4J.",
    subcommands = {TrainCommand.class, CompareCommand.class, CoordinatorCommand.class, WorkerCommand.class,
        BenchCommand.class, ExamplesCommand.class, BagCommand.class, dptrain.deploy.boosting.BoostCommand.class, dptrain.deploy.stacking.StackCommand.class, EvaluateCommand.class, dptrain.deploy.train.ExportCommand.class, CertsCommand.class, CheckTlsCommand.class,
        LaunchCommand.class, dptrain.deploy.relay.RelayCommand.class,
        dptrain.deploy.simulate.SimulateCommand.class, dptrain.deploy.report.ReportCommand.class,
        dptrain.deploy.chaos.ChaosCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    org.slf4j.LoggerFactory.getLogger(Main.class);
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (2 for bad input, one line on stderr). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    dptrain.deploy.help.ManualLayout.install(cli);
    cli.setParameterExceptionHandler((e, arguments) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return BAD_INPUT;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      PrintWriter err = commandLine.getErr();
      if (e instanceof UsageException || e instanceof DataException) {
        err.println("error: " + e.getMessage());
        return BAD_INPUT;
      }
      err.println("error: " + e);
      if (System.getenv("DPTRAIN_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    });
    return cli.execute(args);
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  /** No command named: the overview on stderr, and the exit code of bad input. */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    System.err.println("error: name a command (see the list above)");
    return BAD_INPUT;
  }
}
