package dptrain.deploy.launch;

import dptrain.deploy.relay.LinkShape;
import java.util.ArrayList;
import java.util.List;

/**
 * A slower network between the launched hosts, for tests and benchmarks: a relay ({@code
 * dptrain relay}) on every host listens on the node's port and forwards to the node, which
 * listens {@link #PORT_OFFSET} above it; so every byte a node receives crossed one shaped link.
 * The relay sits on the node's own address, so its TLS certificate still names what peers dial.
 */
record LinkEmulation(LinkShape shape) {
  /** How far above its advertised port a relayed node listens. */
  static final int PORT_OFFSET = 1000;

  static int nodePort(Host host) {
    return host.port() + PORT_OFFSET;
  }

  /** The relay's command line on {@code host}. */
  List<String> relayArgs(Host host) {
    List<String> args = new ArrayList<>(List.of("relay", "--listen", host.address() + ":" + host.port(), "--to",
        host.address() + ":" + nodePort(host), "--latency", shape.latency().toNanos() / 1000 + "us"));
    if (shape.bytesPerSecond() > 0) {
      args.addAll(List.of("--bandwidth", shape.bytesPerSecond() + "B/s"));
    }
    return args;
  }

  /** What the node behind the relay adds to its command line. */
  static List<String> nodeArgs(Host host) {
    return List.of("--bind-port", String.valueOf(nodePort(host)));
  }
}
