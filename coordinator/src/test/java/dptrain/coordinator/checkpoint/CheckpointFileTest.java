package dptrain.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
  @TempDir
  Path dir;

  private static Checkpoint sample(long step) {
    var progress = new Checkpoint.Progress(2, new double[] {0.01, 0.5, 1}, 0.25, 40, 1,
        FlatArray.of(Precision.FLOAT32, new double[] {9, 8, 7, 6}), 0.3, 0.9, 0.2, 0.27, 0.21, 128, new long[] {600, 128});
    return new Checkpoint("job-1", "dptrain.train { epochs = 3 }", step, 1, 7, 42,
        FlatArray.of(Precision.FLOAT32, new double[] {1.5, -2, 3e-8, 4}),
        List.of(FlatArray.of(Precision.FLOAT32, new double[] {0.1, 0.2, 0.3, 0.4}), FlatArray.of(Precision.FLOAT32, new double[] {1, 2, 3, 4})),
        Map.of(0L, new double[] {step}, 2L, new double[] {step - 1}), 2, 2, progress);
  }

  @Test
  void aCheckpointReadsBackAsWritten() throws Exception {
    Path file = dir.resolve("c.ckpt");
    CheckpointFile.write(file, sample(12));

    Checkpoint back = CheckpointFile.read(file);

    assertThat(back.step()).isEqualTo(12);
    assertThat(back.config()).isEqualTo("dptrain.train { epochs = 3 }");
    assertThat(back.parameters().toDoubles()).containsExactly(sample(12).parameters().toDoubles());
    assertThat(back.state()).hasSize(2);
    assertThat(back.state().get(1).toDoubles()).containsExactly(1, 2, 3, 4);
    assertThat(back.counters().get(2L)).containsExactly(11);
    assertThat(back.progress().lrState()).containsExactly(0.01, 0.5, 1);
    assertThat(back.progress().bestParameters().toDoubles()).containsExactly(9, 8, 7, 6);
    assertThat(back.progress().samplesPerEpoch()).containsExactly(600, 128);
    assertThat(Files.exists(dir.resolve("c.ckpt.tmp"))).isFalse();
  }

  @Test
  void everyDamagedCheckpointOfASeededThousandIsRefusedNamingTheFileAndNoneReadsAsAnotherCheckpoint() throws Exception {
    Path file = dir.resolve("fuzz.ckpt");
    CheckpointFile.write(file, sample(12));
    byte[] valid = Files.readAllBytes(file);
    java.util.SplittableRandom random = new java.util.SplittableRandom(14);
    int refused = 0;
    for (int c = 0; c < 1_000; c++) {
      byte[] bytes = valid.clone();
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> bytes = java.util.Arrays.copyOf(bytes, at);
        case 2 -> bytes[at] = (byte) (bytes[at] + 1 + random.nextInt(255));
        default -> { // the header's length field set to a hostile value
          long length = switch (random.nextInt(3)) {
            case 0 -> -1L;
            case 1 -> Long.MAX_VALUE;
            default -> random.nextLong();
          };
          java.nio.ByteBuffer.wrap(bytes, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(length);
        }
      }
      Files.write(file, bytes);
      try {
        CheckpointFile.read(file);
        throw new AssertionError("case " + c + ": a damaged checkpoint was read");
      } catch (CorruptCheckpointException e) {
        assertThat(e.getMessage()).as("case %d", c).contains(file.toString());
        refused++;
      }
    }
    assertThat(refused).isEqualTo(1_000);
  }

  @Test
  void aTruncatedCheckpointIsRefusedNamingTheFile() throws Exception {
    Path file = dir.resolve("t.ckpt");
    CheckpointFile.write(file, sample(3));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 5));

    assertThatThrownBy(() -> CheckpointFile.read(file))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void oneFlippedBitFailsTheChecksum() throws Exception {
    Path file = dir.resolve("f.ckpt");
    CheckpointFile.write(file, sample(3));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);

    assertThatThrownBy(() -> CheckpointFile.read(file))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void theStoreKeepsTheNewestAndOffersTheLastGoodOneBeforeADamagedOne() throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 2);
    store.save(sample(10));
    Path second = store.save(sample(20));
    Path third = store.save(sample(30));
    Files.write(third, new byte[] {1, 2, 3});

    assertThat(store.files()).containsExactly(second, third);
    assertThatThrownBy(store::newest).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining(third.toString());
    assertThat(store.newestGoodBefore(third)).contains(second);
  }
}
