package dptrain.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wire interceptor between a client and a node speaking Artery's TCP framing, on 127.0.0.1:
 * what it does to the ordinary stream's frames, and what it leaves alone.
 */
class WireInterceptorTest {
  private static final int SENT = 300;

  /** Sends the stream header and {@link #SENT} numbered frames through the interceptor; returns the numbers that arrived. */
  private static List<Integer> relay(WireInterceptor interceptor, ServerSocket node, int stream) throws Exception {
    CompletableFuture<List<Integer>> arrived = CompletableFuture.supplyAsync(() -> {
      try (Socket in = node.accept(); DataInputStream data = new DataInputStream(in.getInputStream())) {
        byte[] header = data.readNBytes(5);
        assertThat(new String(header, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("AKKA");
        assertThat(header[4]).isEqualTo((byte) stream);
        List<Integer> numbers = new ArrayList<>();
        while (true) {
          byte[] length = new byte[4];
          try {
            data.readFully(length);
          } catch (EOFException end) {
            return numbers;
          }
          int size = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getInt();
          byte[] frame = new byte[size];
          data.readFully(frame);
          int number = ByteBuffer.wrap(frame).getInt();
          assertThat(size).as("a whole frame, as it was sent").isEqualTo(frameOf(number).length - 4);
          numbers.add(number);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try (Socket out = new Socket()) {
      out.connect(new InetSocketAddress("127.0.0.1", interceptor.port()));
      OutputStream stream0 = out.getOutputStream();
      stream0.write(new byte[] {'A', 'K', 'K', 'A', (byte) stream});
      for (int i = 0; i < SENT; i++) {
        stream0.write(frameOf(i));
      }
      out.shutdownOutput();
      return arrived.get(60, TimeUnit.SECONDS);
    }
  }

  /** Frame i: its length, then i, then i % 97 bytes (frames of many sizes). */
  private static byte[] frameOf(int i) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    int size = 4 + i % 97;
    frame.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(size).array());
    frame.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
    frame.writeBytes(new byte[i % 97]);
    return frame.toByteArray();
  }

  @Test
  void armedItDropsDuplicatesReordersAndDelaysWholeFramesOfTheOrdinaryStreamAndCountsWhatItDid() throws Exception {
    try (ServerSocket node = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        WireInterceptor interceptor = new WireInterceptor(new InetSocketAddress("127.0.0.1", node.getLocalPort()))) {
      interceptor.meddle(11);
      List<Integer> arrived = relay(interceptor, node, 2);

      var counts = interceptor.counts();
      assertThat(counts.frames()).isEqualTo(SENT);
      assertThat(counts.dropped()).isPositive();
      assertThat(counts.duplicated()).isPositive();
      assertThat(counts.reordered()).isPositive();
      assertThat(arrived).hasSize((int) (SENT - counts.dropped() + counts.duplicated()));
      assertThat(arrived.stream().distinct().count()).isEqualTo(SENT - counts.dropped());
      assertThat(arrived).allMatch(n -> n >= 0 && n < SENT);
      long outOfOrder = java.util.stream.IntStream.range(1, arrived.size()).filter(i -> arrived.get(i) < arrived.get(i - 1))
          .count();
      assertThat(outOfOrder).as("each held-back frame goes right after the next one").isEqualTo(counts.reordered());
    }
  }

  @Test
  void theControlStreamAndAnUnarmedInterceptorPassEveryFrameInOrder() throws Exception {
    try (ServerSocket node = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        WireInterceptor interceptor = new WireInterceptor(new InetSocketAddress("127.0.0.1", node.getLocalPort()))) {
      List<Integer> all = java.util.stream.IntStream.range(0, SENT).boxed().toList();
      assertThat(relay(interceptor, node, 2)).as("not armed").isEqualTo(all);

      interceptor.meddle(11);
      assertThat(relay(interceptor, node, 1)).as("armed, the control stream").isEqualTo(all);
      assertThat(interceptor.counts().frames()).isZero();
    }
  }
}
