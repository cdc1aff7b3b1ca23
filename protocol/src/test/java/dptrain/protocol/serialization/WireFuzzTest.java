package dptrain.protocol.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.tensor.TensorChunk;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes into the serializer, with a fixed seed: random bytes, and mutations (flipped,
 * dropped, inserted and overwritten bytes, truncation, huge length fields) of real messages. Each
 * is either decoded into a message or refused with a NotSerializableException that says why;
 * nothing else may come out (no other exception, no allocation the bytes did not ask for).
 */
class WireFuzzTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
      akka.actor.provider = cluster
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.canonical.hostname = 127.0.0.1
      """));
  private static final int CASES = 20_000;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static WireSerializer serializer() {
    return (WireSerializer) SerializationExtension.get(KIT.system().classicSystem())
        .findSerializerFor(new CoordinatorProtocol.StepDone(0, 0, 1, 0, false));
  }

  /** Real messages of every kind that carries arrays, refs or strings. */
  private static List<byte[]> corpus(WireSerializer serializer) {
    var worker = KIT.<WorkerProtocol.Command>createTestProbe().ref();
    TensorChunk chunk = TensorChunk.of(4, 1f, -2f, 3f);
    List<Object> messages = List.of(
        new ShardProtocol.GradientChunk(2, 0, 1, 32, 1.5, chunk, worker, 0.125, true, 17, null, 1_000, 200, -42L),
        new WorkerProtocol.Compute(5, 1, 2, new int[] {3, 1, 4}, 0.5),
        new WorkerProtocol.ParametersChunk(3, chunk, 2),
        new CoordinatorProtocol.StepDone(1, 2, 32, 4.5, false, 1, 0, 4096, new dptrain.protocol.StepTimes(5, 6, 7, 8),
            List.of(1L, 0L, 2L), 99L),
        new CoordinatorProtocol.ChunkRefused(1, 9, 2, worker, "holds NaN", 1),
        new CoordinatorProtocol.WorkerReady(worker, 2, 60000, 10000),
        new ShardProtocol.SetWorkers(List.of(worker), true),
        new ShardProtocol.CloseStep(4, 3, new int[] {0, 2}),
        new ShardProtocol.ReportStep(41));
    return messages.stream().map(serializer::toBinary).toList();
  }

  private static byte[] mutate(byte[] original, SplittableRandom random) {
    List<Byte> bytes = new ArrayList<>();
    for (byte b : original) {
      bytes.add(b);
    }
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits && !bytes.isEmpty(); e++) {
      int at = random.nextInt(bytes.size());
      switch (random.nextInt(6)) {
        case 0 -> bytes.set(at, (byte) (bytes.get(at) ^ (1 << random.nextInt(8))));
        case 1 -> bytes.remove(at);
        case 2 -> bytes.add(at, (byte) random.nextInt(256));
        case 3 -> bytes.subList(at, bytes.size()).clear();
        case 4 -> bytes.set(at, (byte) random.nextInt(256));
        default -> {
          // A huge varint where a length may be: 0xFF 0xFF 0xFF 0xFF 0x07 (2^31 - 1).
          for (int k = 0; k < 4; k++) {
            bytes.add(at, (byte) 0xFF);
          }
          bytes.add(at + 4, (byte) 0x07);
        }
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  @Test
  void randomAndMutatedBytesAreDecodedOrRefusedWithAReasonAndNothingElse() {
    WireSerializer serializer = serializer();
    String manifest = Serializers.manifestFor(serializer, new CoordinatorProtocol.StepDone(0, 0, 1, 0, false));
    List<byte[]> corpus = corpus(serializer);
    SplittableRandom random = new SplittableRandom(20261202);
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes;
      if (i % 10 == 0) {
        bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
      } else {
        bytes = mutate(corpus.get(random.nextInt(corpus.size())), random);
      }
      try {
        assertThat(serializer.fromBinary(bytes, manifest)).isNotNull();
        decoded++;
      } catch (NotSerializableException e) {
        assertThat(e.getMessage()).startsWith("refused a malformed message of " + bytes.length + " bytes: ");
        refused++;
      } catch (RuntimeException | OutOfMemoryError e) {
        throw new AssertionError("case " + i + " (" + bytes.length + " bytes) threw " + e, e);
      }
    }
    // Both outcomes occur: the mutations are not all fatal, and not all harmless.
    assertThat(decoded).isPositive();
    assertThat(refused).isPositive();
    System.out.println("wire fuzz: " + CASES + " cases, " + decoded + " decoded, " + refused + " refused");
  }

  @Test
  void anUnknownManifestIsRefusedNamingTheOneExpected() {
    assertThatThrownBy(() -> serializer().fromBinary(new byte[] {1, 2}, "java.lang.Runtime"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("unknown manifest 'java.lang.Runtime'");
  }
}
