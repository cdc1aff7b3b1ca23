package dptrain.deploy.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The garbage-and-flood fault: connections from outside the cluster to nodes' Artery ports on
 * 127.0.0.1, bounded in count and time, each drawn from a seed: raw random bytes; Artery's
 * stream header ("AKKA" and a stream id) followed by one frame of random bytes; and idle
 * connections held open until the flood ends. Nothing is sent anywhere but 127.0.0.1.
 *
 * <p>Left out: a frame whose length field is negative or overflows. On plain TCP that one input
 * sends Akka 2.6.21's framing into a loop over the same bytes, which the node does not survive
 * (measured: both workers lost 6 s into the flood); over TLS it is refused at the handshake
 * (TlsClusterTest). The README's chaos section says so.
 */
final class Flood {
  private static final int CONNECTIONS = 300;
  private static final int IDLE = 32;
  private static final Duration LONGEST = Duration.ofSeconds(4);
  private static final int CONNECT_TIMEOUT_MS = 500;

  /** What the flood did: connections made and refused, bytes of garbage written, connections held idle. */
  record Sent(int connections, int refused, long bytes, int idle) {
    String describe(List<Integer> ports) {
      return String.format(java.util.Locale.ROOT, "flooded ports %s: %d connections (%d refused), %.1f MB of garbage, %d held idle",
          ports, connections, refused, bytes / 1e6, idle);
    }
  }

  private Flood() {}

  static Sent run(List<Integer> ports, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Socket> idle = new ArrayList<>();
    int connections = 0;
    int refused = 0;
    long bytes = 0;
    long end = System.nanoTime() + LONGEST.toNanos();
    try {
      for (int i = 0; i < CONNECTIONS && System.nanoTime() < end && !ports.isEmpty(); i++) {
        int port = ports.get(i % ports.size());
        Socket socket = new Socket();
        try {
          socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MS);
          connections++;
          if (idle.size() < IDLE && i % 9 == 0) {
            idle.add(socket); // says nothing and stays open: a slow client holding a connection
            continue;
          }
          socket.setSoTimeout(CONNECT_TIMEOUT_MS);
          byte[] garbage = garbage(random, i % 2);
          try (OutputStream out = socket.getOutputStream()) {
            out.write(garbage);
            out.flush();
            bytes += garbage.length;
          }
        } catch (IOException e) {
          refused++; // the node closed it (as it should) or would not take it
        } finally {
          if (!idle.contains(socket)) {
            closeQuietly(socket);
          }
        }
      }
    } finally {
      idle.forEach(Flood::closeQuietly);
    }
    return new Sent(connections, refused, bytes, idle.size());
  }

  /** Kind 0: random bytes; 1: Artery's header for a random stream, then one frame of random bytes. */
  private static byte[] garbage(SplittableRandom random, int kind) {
    if (kind == 0) {
      return randomBytes(random, 1 + random.nextInt(16_384));
    }
    byte[] body = randomBytes(random, 1 + random.nextInt(4_096));
    ByteBuffer frame = ByteBuffer.allocate(5 + 4 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    frame.put("AKKA".getBytes(StandardCharsets.US_ASCII)).put((byte) (1 + random.nextInt(3)));
    frame.putInt(body.length).put(body);
    return frame.array();
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return bytes;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a socket the node already dropped: nothing to do
    }
  }
}
