package dptrain.deploy.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay in front of one node that behaves like a slower network: every connection it
 * accepts is forwarded to {@code target}, and the bytes in each direction arrive {@code latency}
 * late and at no more than the link's bandwidth, shared by all connections (one NIC's worth per
 * direction). This kernel has no {@code tc netem}; the relay is how the tests and benchmarks put
 * a wide-area link between network-namespace hosts. Bytes are never changed, dropped or
 * reordered; a full queue (4 MiB per direction and connection) holds the sender back, as TCP would.
 */
public final class LinkRelay implements AutoCloseable {
  private static final int PIECE = 64 * 1024;
  private static final int QUEUED_PIECES = 64;

  private final InetSocketAddress target;
  private final LinkShape shape;
  private final ServerSocket server;
  private final LinkPacer inbound;
  private final LinkPacer outbound;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** Listens on {@code listen} (port 0: any free one) and starts accepting. */
  public LinkRelay(InetSocketAddress listen, InetSocketAddress target, LinkShape shape) throws IOException {
    this.target = target;
    this.shape = shape;
    this.inbound = new LinkPacer(shape);
    this.outbound = new LinkPacer(shape);
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(listen);
    Thread accepting = new Thread(this::accept, "relay-accept-" + port());
    accepting.setDaemon(true);
    accepting.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public LinkShape shape() {
    return shape;
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(target, 10_000);
        for (Socket s : List.of(client, upstream)) {
          s.setTcpNoDelay(true);
          sockets.add(s);
        }
        var ended = new java.util.concurrent.atomic.AtomicInteger();
        Runnable onEnd = () -> {
          if (ended.incrementAndGet() == 2) {
            for (Socket s : List.of(client, upstream)) {
              closeQuietly(s);
              sockets.remove(s);
            }
          }
        };
        pump(client, upstream, inbound, "in", onEnd);
        pump(upstream, client, outbound, "out", onEnd);
      } catch (IOException e) {
        System.err.println("relay :" + port() + ": cannot reach " + target + ": " + e.getMessage());
        closeQuietly(client);
      }
    }
  }

  /** One direction of one connection: a reader that stamps each piece with its arrival time, a writer that keeps it. */
  private void pump(Socket from, Socket to, LinkPacer pacer, String direction, Runnable onEnd) throws IOException {
    BlockingQueue<Piece> queue = new ArrayBlockingQueue<>(QUEUED_PIECES);
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    String name = "relay-" + port() + "-" + direction + "-" + from.getPort();
    Thread reader = new Thread(() -> {
      try {
        while (true) {
          byte[] buffer = new byte[PIECE];
          int n = in.read(buffer);
          if (n < 0) {
            break;
          }
          queue.put(new Piece(n == PIECE ? buffer : Arrays.copyOf(buffer, n), pacer.arrival(n, System.nanoTime())));
        }
        queue.put(Piece.END);
      } catch (IOException | InterruptedException e) {
        queue.offer(Piece.END);
      }
    }, name + "-read");
    Thread writer = new Thread(() -> {
      try {
        while (true) {
          Piece piece = queue.take();
          if (piece == Piece.END) {
            to.shutdownOutput();
            break;
          }
          // Holding a piece until its arrival time is what the relay is for.
          for (long wait = piece.arrival() - System.nanoTime(); wait > 0; wait = piece.arrival() - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
          out.write(piece.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        closeQuietly(from);
        closeQuietly(to);
      } finally {
        onEnd.run();
      }
    }, name + "-write");
    for (Thread t : List.of(reader, writer)) {
      t.setDaemon(true);
      t.start();
    }
  }

  private record Piece(byte[] bytes, long arrival) {
    static final Piece END = new Piece(new byte[0], 0);
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    sockets.forEach(LinkRelay::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing on the way out: nothing to tell
    }
  }
}
