package dptrain.deploy.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only interceptor on the wire in front of one node, for the chaos suite: it forwards every
 * connection to the node's Artery port and, once {@link #meddle armed}, drops, duplicates, reorders
 * and delays whole messages of the ordinary stream, where the cluster's own messages travel
 * (assignments, gradient chunks, parameters, step reports, gossip and heartbeats).
 *
 * <p>It reads Artery's TCP framing: a connection opens with the magic {@code AKKA} and a stream
 * byte (1 control, 2 ordinary, 3 large), then carries frames of a 4-byte little-endian length and
 * that many bytes, one message each. Only whole frames of stream 2 are meddled with, so what
 * arrives still parses: a frame that never comes, comes twice, comes after the next one, or comes
 * late. The control stream (Artery's handshake and system messages, which have their own
 * redelivery) and anything that is not Artery pass through untouched. Faults stop after
 * {@link #FRAMES} frames or {@link #WINDOW_NANOS}, whichever comes first.
 */
final class WireInterceptor implements AutoCloseable {
  /** How many frames of the ordinary stream an armed interceptor looks at, at most. */
  static final int FRAMES = 400;
  static final long WINDOW_NANOS = 8_000_000_000L;
  /** Each fault's share of the frames looked at: 1 in 50 dropped, 1 in 50 twice, 1 in 50 swapped, 1 in 50 late. */
  private static final double EACH = 0.02;
  private static final long DELAY_MILLIS = 50;
  private static final int ORDINARY = 2;
  private static final int LARGEST_FRAME = 64 << 20;
  /** A frame held back to be sent after the next one goes out anyway after this long without one. */
  private static final int HOLD_MILLIS = 100;

  /** What the interceptors did to the frames they looked at. */
  record Counts(long frames, long dropped, long duplicated, long reordered, long delayed) {
    static final Counts NONE = new Counts(0, 0, 0, 0, 0);

    Counts plus(Counts other) {
      return new Counts(frames + other.frames, dropped + other.dropped, duplicated + other.duplicated,
          reordered + other.reordered, delayed + other.delayed);
    }

    String describe() {
      return "of " + frames + " frames on the wire: " + dropped + " dropped, " + duplicated + " duplicated, " + reordered
          + " reordered, " + delayed + " delayed " + DELAY_MILLIS + " ms";
    }
  }

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicLong budget = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong duplicated = new AtomicLong();
  private final AtomicLong reordered = new AtomicLong();
  private final AtomicLong delayed = new AtomicLong();
  private volatile long armedUntil;
  private volatile long seed;
  private volatile boolean closed;

  /** Listens on a free port of 127.0.0.1 and forwards to {@code target}. */
  WireInterceptor(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(this::accept, "wire-interceptor-" + port());
    accepting.setDaemon(true);
    accepting.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Starts meddling, with faults drawn from {@code seed}, for {@link #FRAMES} frames or {@link #WINDOW_NANOS}. */
  void meddle(long seed) {
    this.seed = seed;
    budget.set(FRAMES);
    armedUntil = System.nanoTime() + WINDOW_NANOS;
  }

  Counts counts() {
    return new Counts(frames.get(), dropped.get(), duplicated.get(), reordered.get(), delayed.get());
  }

  private void accept() {
    int connection = 0;
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        continue; // closed (the loop ends), or one failed accept
      }
      sockets.add(client);
      try {
        Socket node = new Socket();
        sockets.add(node);
        node.connect(target, 5_000);
        long connectionSeed = seed + 1_000_003L * connection++;
        pump("in", () -> forwardFrames(client, node, new SplittableRandom(connectionSeed)));
        pump("out", () -> copy(node.getInputStream(), client.getOutputStream()));
      } catch (IOException e) {
        closeQuietly(client); // the node is not listening yet, or went away: the peer connects again
      }
    }
  }

  private interface Pump {
    void run() throws IOException;
  }

  private void pump(String direction, Pump pump) {
    Thread thread = new Thread(() -> {
      try {
        pump.run();
      } catch (IOException e) {
        // one side closed: the other side sees it as a closed connection, as without the interceptor
      }
    }, "wire-interceptor-" + port() + "-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private static void copy(InputStream in, OutputStream out) throws IOException {
    try (in; out) {
      in.transferTo(out);
    }
  }

  /** Client to node: the header as it is, then frame by frame, meddling with the ordinary stream's while armed. */
  private void forwardFrames(Socket client, Socket node, SplittableRandom random) throws IOException {
    client.setSoTimeout(HOLD_MILLIS);
    InputStream in = client.getInputStream();
    try (in; OutputStream out = node.getOutputStream()) {
      Link link = new Link(in, out, random);
      byte[] header = new byte[5];
      boolean artery = link.readFully(header, 0) && new String(header, 0, 4, StandardCharsets.US_ASCII).equals("AKKA");
      out.write(header);
      if (!artery) {
        client.setSoTimeout(0);
        in.transferTo(out); // not Artery (or cut short): nothing to meddle with
        return;
      }
      boolean ordinary = header[4] == ORDINARY;
      byte[] length = new byte[4];
      while (link.readFully(length, 0)) {
        int size = (length[0] & 0xff) | (length[1] & 0xff) << 8 | (length[2] & 0xff) << 16 | (length[3] & 0xff) << 24;
        if (size < 0 || size > LARGEST_FRAME) {
          link.release();
          out.write(length);
          client.setSoTimeout(0);
          in.transferTo(out); // not a frame Artery would send: the rest as it is, and Artery refuses it
          return;
        }
        byte[] frame = new byte[4 + size];
        System.arraycopy(length, 0, frame, 0, 4);
        if (!link.readFully(frame, 4)) {
          return;
        }
        if (ordinary && armed()) {
          link.meddle(frame);
        } else {
          link.release();
          out.write(frame);
        }
      }
    }
  }

  /** Whether a frame looked at now may be meddled with: armed, and within the frames and the time. */
  private boolean armed() {
    return System.nanoTime() < armedUntil && budget.getAndDecrement() > 0;
  }

  /** One connection's way to the node, with the frame it holds back to send after the next. */
  private final class Link {
    private final InputStream in;
    private final OutputStream out;
    private final SplittableRandom random;
    private byte[] held;

    Link(InputStream in, OutputStream out, SplittableRandom random) {
      this.in = in;
      this.out = out;
      this.random = random;
    }

    /** Fills {@code buffer} from {@code from} on; false at the end of the stream. A quiet link sends the held frame. */
    boolean readFully(byte[] buffer, int from) throws IOException {
      int at = from;
      while (at < buffer.length) {
        try {
          int read = in.read(buffer, at, buffer.length - at);
          if (read < 0) {
            release();
            return false;
          }
          at += read;
        } catch (SocketTimeoutException quiet) {
          release(); // no next frame to swap it with: a reordering never holds a message longer than this
        }
      }
      return true;
    }

    /** One frame while armed: dropped, sent twice, held back until after the next one, sent late, or sent. */
    void meddle(byte[] frame) throws IOException {
      frames.incrementAndGet();
      double draw = random.nextDouble();
      if (draw < EACH) {
        dropped.incrementAndGet();
        return;
      }
      if (draw < 2 * EACH) {
        duplicated.incrementAndGet();
        send(frame);
        out.write(frame);
        return;
      }
      if (draw < 3 * EACH) {
        if (held == null) {
          reordered.incrementAndGet();
          held = frame;
        } else {
          send(frame); // one frame held back at a time
        }
        return;
      }
      if (draw < 4 * EACH) {
        delayed.incrementAndGet();
        try {
          Thread.sleep(DELAY_MILLIS); // the delay is the fault: everything behind it on this link waits too, as on TCP
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      send(frame);
    }

    /** Sends {@code frame}, then the frame held back before it. */
    private void send(byte[] frame) throws IOException {
      out.write(frame);
      release();
    }

    /** Sends the held frame, if any. */
    void release() throws IOException {
      if (held != null) {
        byte[] frame = held;
        held = null;
        out.write(frame);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    sockets.forEach(WireInterceptor::closeQuietly);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
