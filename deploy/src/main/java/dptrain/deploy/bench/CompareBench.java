package dptrain.deploy.bench;

import dptrain.deploy.report.Charts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dptrain bench compare}: the default job on dptrain and, where installed, on PyTorch (one
 * process at 1 and 2 threads, and DDP with 2 ranks) and DL4J, each a cold process started as a
 * user would, back to back in one run. Prints samples/s, the wall time to the target accuracy
 * and the ratios; writes compare.csv, compare-throughput.png and each system's log to --out.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = {"Trains the default job (Fashion-MNIST, 784-256-128-10, Adam, batch 128) on dptrain and on the",
        "peers that are installed (PyTorch 1 and 2 threads, PyTorch DDP 2x1, DL4J), back to back, each a",
        "cold process. Prints per system the best epoch's and the mean samples/s, the wall time from start",
        "to --target-accuracy, the final test accuracy, and dptrain's ratios to the peers."})
public final class CompareBench implements Callable<Integer> {
  @Option(names = "--epochs", defaultValue = "8", description = "Epochs per system (default ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--dptrain", split = ",", defaultValue = "1x1,1x2,2x2",
      description = "dptrain layouts, NODESxLANES (default ${DEFAULT-VALUE}).")
  List<String> layouts;

  @Option(names = "--peers", split = ",", defaultValue = "torch,ddp,dl4j",
      description = "Peers to run where installed: torch, ddp, dl4j, none (default ${DEFAULT-VALUE}).")
  List<String> peers;

  @Option(names = "--target-accuracy", defaultValue = "0.88", description = "Test accuracy to time (default ${DEFAULT-VALUE}).")
  double target;

  @Option(names = "--timeout", defaultValue = "900", description = "Seconds each system may take (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--out", description = "Where the table, chart and logs go (default runs/bench-compare-<time>).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (epochs < 1 || !(target > 0 && target <= 1) || timeoutSeconds < 1) {
      throw new dptrain.deploy.UsageException("--epochs and --timeout must be >= 1 and --target-accuracy in (0, 1]");
    }
    Path folder = out != null ? out
        : Path.of("runs", "bench-compare-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(folder.resolve("logs"));
    Path deploy = deployDir();
    List<Contender> contenders = new ArrayList<>();
    for (String layout : layouts) {
      int[] nl = nodesByLanes(layout);
      contenders.add(Contender.dptrain(deploy, nl[0], nl[1], epochs, folder.resolve("dptrain-" + layout)));
    }
    String torchMissing = peers.contains("torch") || peers.contains("ddp") ? Contender.torchMissing() : null;
    if (peers.contains("torch")) {
      report("pytorch", torchMissing);
      if (torchMissing == null) {
        contenders.add(Contender.torch(deploy, 1, 1, epochs, 0));
        contenders.add(Contender.torch(deploy, 1, 2, epochs, 0));
      }
    }
    if (peers.contains("ddp")) {
      report("pytorch ddp", torchMissing);
      if (torchMissing == null) {
        contenders.add(Contender.torch(deploy, 2, 1, epochs, freePort()));
      }
    }
    if (peers.contains("dl4j")) {
      String dl4jMissing = Contender.dl4jMissing(deploy);
      report("dl4j", dl4jMissing);
      if (dl4jMissing == null) {
        contenders.add(Contender.dl4j(deploy, epochs));
      }
    }
    Map<Contender, CompareTable.Measured> measured = new LinkedHashMap<>();
    for (int i = 0; i < contenders.size(); i++) {
      Contender c = contenders.get(i);
      System.out.println("running " + c.system() + ", " + c.layout() + " ...");
      var result = PeerProcess.run(c.command(), c.env(), folder.resolve("logs").resolve(i + "-" + c.system().replace(' ', '-')
          .replaceAll("[()]", "") + ".log"), timeoutSeconds, c::parse);
      measured.put(c, CompareTable.measure(c, result, target));
    }
    CompareTable.print(measured, target);
    CompareTable.writeCsv(folder.resolve("compare.csv"), measured);
    Map<String, double[]> bars = new LinkedHashMap<>();
    measured.forEach((c, m) -> bars.put(c.label(), new double[] {m.meanSamplesPerSecond()}));
    Charts.stackedBars(folder.resolve("compare-throughput.png"), "The default job, mean samples/s over the epochs",
        "samples/s", new String[] {"samples/s"}, bars);
    System.out.println("table, chart and logs in " + folder.toAbsolutePath());
    return measured.values().stream().allMatch(m -> m.failure() == null) ? 0 : 1;
  }

  private static void report(String peer, String missing) {
    if (missing != null) {
      System.out.println(peer + ": " + missing + "; left out");
    }
  }

  private static int[] nodesByLanes(String layout) {
    var m = java.util.regex.Pattern.compile("(\\d+)x(\\d+)").matcher(layout.trim());
    if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
      throw new dptrain.deploy.UsageException("--dptrain layouts are NODESxLANES with both >= 1, e.g. 1x2; got '" + layout + "'");
    }
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  /** deploy/: two levels above this class's jar (deploy/target/dptrain.jar) or classes folder. */
  static Path deployDir() throws java.net.URISyntaxException {
    Path code = Path.of(CompareBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return code.getParent().getParent();
  }

  private static int freePort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
