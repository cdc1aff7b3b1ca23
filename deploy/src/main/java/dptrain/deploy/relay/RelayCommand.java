package dptrain.deploy.relay;

import dptrain.deploy.UsageException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dptrain relay}: a delaying, rate-limiting TCP relay in front of a node, until stopped. */
@Command(name = "relay", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Forwards every TCP connection from --listen to --to, delaying the bytes in each direction by",
        "--latency and limiting each direction to --bandwidth (shared by all connections), so that a",
        "node behind it behaves as if across a slower network. Put a node on --bind-port and give the",
        "cluster the relay's port as --port. Runs until stopped (TERM or Ctrl-C).",
        "",
        "Example: dptrain relay --listen 10.0.0.2:25520 --to 10.0.0.2:25521 --latency 5ms --bandwidth 100MB/s"})
public final class RelayCommand implements Callable<Integer> {
  @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "Where the relay accepts connections.")
  String listen;

  @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "Where it forwards them (the node's --bind-port).")
  String to;

  @Option(names = "--latency", defaultValue = "0ms", paramLabel = "TIME",
      description = "One-way delay added to every byte, e.g. 5ms or 250us (default: ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--bandwidth", paramLabel = "RATE",
      description = "Most bytes per second in each direction, e.g. 100MB/s or 1Gbit/s (default: no limit).")
  String bandwidth;

  @Override
  public Integer call() throws Exception {
    var shape = new LinkShape(LinkShape.parseLatency(latency), bandwidth == null ? 0 : LinkShape.parseBandwidth(bandwidth));
    try (var relay = new LinkRelay(address(listen, "--listen"), address(to, "--to"), shape)) {
      System.out.println("relay " + listen + " -> " + to + ": " + shape.describe());
      new CountDownLatch(1).await();
    }
    return 0;
  }

  static InetSocketAddress address(String text, String option) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException(option + " takes HOST:PORT, got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " takes HOST:PORT with a port 0..65535, got '" + text + "'");
    }
  }
}
