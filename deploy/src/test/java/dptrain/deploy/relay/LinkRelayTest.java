package dptrain.deploy.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.deploy.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay on 127.0.0.1, in front of an echo server: what goes in comes out, late and no faster than the link. */
class LinkRelayTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** A server that sends back whatever each connection sends it, until that connection ends. */
  private InetSocketAddress echoServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    open.add(server);
    Thread accepting = new Thread(() -> {
      while (true) {
        try {
          Socket s = server.accept();
          open.add(s);
          Thread echo = new Thread(() -> {
            try {
              s.getInputStream().transferTo(s.getOutputStream());
              s.shutdownOutput();
            } catch (IOException e) {
              // the test ended the connection
            }
          });
          echo.setDaemon(true);
          echo.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    accepting.setDaemon(true);
    accepting.start();
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  private Socket through(LinkShape shape) throws IOException {
    var relay = new LinkRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), echoServer(), shape);
    open.add(relay);
    Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port());
    open.add(client);
    return client;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Sends {@code bytes} and reads as many back, on two threads (the echo cannot hold a megabyte unread). */
  private static byte[] roundTrip(Socket client, byte[] bytes) throws Exception {
    OutputStream out = client.getOutputStream();
    var sent = CompletableFuture.runAsync(() -> {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] back = client.getInputStream().readNBytes(bytes.length);
    sent.get(30, TimeUnit.SECONDS);
    return back;
  }

  /** How long {@code size} random bytes take there and back through a relay of {@code shape}; they must come back unchanged. */
  private Duration timedRoundTrip(LinkShape shape, int size) throws Exception {
    Socket client = through(shape);
    byte[] bytes = randomBytes(size, size);
    long start = System.nanoTime();
    byte[] back = roundTrip(client, bytes);
    long elapsed = System.nanoTime() - start;
    assertThat(back).isEqualTo(bytes);
    return Duration.ofNanos(elapsed);
  }

  @Test
  void everyByteComesBackUnchangedAfterTheLatencyEachWay() throws Exception {
    assertThat(timedRoundTrip(new LinkShape(Duration.ofMillis(40), 0), 300_000)).as("40 ms in, 40 ms out")
        .isGreaterThanOrEqualTo(Duration.ofMillis(80));
  }

  @Test
  void theBandwidthBoundsHowFastAMegabyteCrosses() throws Exception {
    assertThat(timedRoundTrip(new LinkShape(Duration.ZERO, 4_000_000), 1_000_000)).as("1 MB at 4 MB/s")
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void connectionsShareTheLinksBandwidth() throws Exception {
    var relay = new LinkRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), echoServer(),
        new LinkShape(Duration.ZERO, 4_000_000));
    open.add(relay);
    List<Socket> clients = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Socket client = new Socket(InetAddress.getLoopbackAddress(), relay.port());
      open.add(client);
      clients.add(client);
    }
    byte[] bytes = randomBytes(500_000, 3);

    long start = System.nanoTime();
    var both = clients.stream().map(c -> CompletableFuture.supplyAsync(() -> {
      try {
        return roundTrip(c, bytes);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).toList();
    for (var back : both) {
      assertThat(back.get(30, TimeUnit.SECONDS)).isEqualTo(bytes);
    }
    long elapsed = System.nanoTime() - start;

    assertThat(Duration.ofNanos(elapsed)).as("2 x 0.5 MB over one 4 MB/s link").isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void theEndOfAConnectionReachesTheOtherSide() throws Exception {
    Socket client = through(LinkShape.NONE);
    client.getOutputStream().write(new byte[] {1, 2, 3});
    client.shutdownOutput();

    InputStream in = client.getInputStream();
    assertThat(in.readAllBytes()).as("the echo ends when its input ends, and so does the relayed connection")
        .containsExactly(1, 2, 3);
  }

  @Test
  void latenciesAndBandwidthsReadAsPeopleWriteThem() {
    assertThat(LinkShape.parseLatency("5ms")).isEqualTo(Duration.ofMillis(5));
    assertThat(LinkShape.parseLatency("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(LinkShape.parseLatency("0.5s")).isEqualTo(Duration.ofMillis(500));
    assertThat(LinkShape.parseBandwidth("100MB/s")).isEqualTo(100_000_000);
    assertThat(LinkShape.parseBandwidth("1Gbit/s")).isEqualTo(125_000_000);
    assertThat(LinkShape.parseBandwidth("800kB/s")).isEqualTo(800_000);
    assertThatThrownBy(() -> LinkShape.parseLatency("5 minutes")).isInstanceOf(UsageException.class).hasMessageContaining("5ms");
    assertThatThrownBy(() -> LinkShape.parseBandwidth("fast")).isInstanceOf(UsageException.class)
        .hasMessageContaining("100MB/s");
    assertThatThrownBy(() -> LinkShape.parseBandwidth("0MB/s")).isInstanceOf(UsageException.class)
        .hasMessageContaining("at least 1 byte/s");
  }
}
