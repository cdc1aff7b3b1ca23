package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged data files, drawn from a fixed seed: valid IDX pairs (plain and gzip) and CSV files
 * with bytes flipped, dropped, inserted or overwritten, truncated, or with a dimension or cell
 * replaced by a hostile one. Each is read into a consistent data set or refused with a
 * {@link DataException} that names the file; nothing else (no index error, no huge allocation).
 */
class DataFileFuzzTest {
  private static final int CASES = 1_500;

  @TempDir
  Path dir;

  @Test
  void everyDamagedIdxPairIsReadConsistentlyOrRefusedNamingTheFile() throws IOException {
    SplittableRandom random = new SplittableRandom(15);
    Map<String, Integer> outcomes = new TreeMap<>();
    byte[] pixels = new byte[6 * 4];
    random.nextBytes(pixels);
    byte[] images = IdxReaderTest.idx(new int[] {6, 2, 2}, pixels);
    byte[] labels = IdxReaderTest.idx(new int[] {6}, new byte[] {0, 1, 2, 1, 0, 2});
    for (int c = 0; c < CASES; c++) {
      Path folder = Files.createDirectories(dir.resolve("idx-" + c));
      boolean damageImages = random.nextBoolean();
      boolean gzip = random.nextInt(3) == 0;
      write(folder.resolve("t-images-idx3-ubyte"), damageImages ? mutate(images, random, true) : images, gzip);
      write(folder.resolve("t-labels-idx1-ubyte"), damageImages ? labels : mutate(labels, random, true), gzip);
      try {
        Dataset data = IdxReader.readPair(folder, "t");
        assertThat((long) data.rows() * data.width()).as("case %d", c).isEqualTo(data.features().length);
        outcomes.merge("read", 1, Integer::sum);
      } catch (DataException refused) {
        assertThat(refused.getMessage()).as("case %d", c).contains(folder.toString());
        outcomes.merge("refused", 1, Integer::sum);
      }
    }
    System.out.println("IDX fuzz, " + CASES + " damaged pairs: " + outcomes);
    assertThat(outcomes.get("refused")).isGreaterThan(CASES / 2);
  }

  @Test
  void everyDamagedCsvFileIsReadConsistentlyOrRefusedNamingTheFile() throws IOException {
    SplittableRandom random = new SplittableRandom(16);
    Map<String, Integer> outcomes = new TreeMap<>();
    byte[] csv = "x1,x2,y\n0.5,1.25,0\n-3,4e2,1\n7,8,1\n\"9\",10,0\n".getBytes(StandardCharsets.UTF_8);
    for (int c = 0; c < CASES; c++) {
      Path file = dir.resolve("data-" + c + ".csv");
      Files.write(file, mutate(csv, random, false));
      try {
        Dataset data = CsvReader.read(file, 1);
        assertThat((long) data.rows() * data.width()).as("case %d", c).isEqualTo(data.features().length);
        outcomes.merge("read", 1, Integer::sum);
      } catch (DataException refused) {
        assertThat(refused.getMessage()).as("case %d", c).contains(file.toString());
        outcomes.merge("refused", 1, Integer::sum);
      }
    }
    System.out.println("CSV fuzz, " + CASES + " damaged files: " + outcomes);
    assertThat(outcomes).containsKeys("read", "refused");
  }

  /** One damage: a flipped, dropped, inserted or overwritten byte, a truncation, or (IDX) a hostile dimension. */
  private static byte[] mutate(byte[] valid, SplittableRandom random, boolean idx) {
    byte[] bytes = valid.clone();
    int at = random.nextInt(bytes.length);
    switch (random.nextInt(idx ? 6 : 5)) {
      case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> bytes = concat(java.util.Arrays.copyOf(bytes, at), java.util.Arrays.copyOfRange(bytes, at + 1, bytes.length));
      case 2 -> bytes = concat(concat(java.util.Arrays.copyOf(bytes, at), new byte[] {(byte) random.nextInt(256)}),
          java.util.Arrays.copyOfRange(bytes, at, bytes.length));
      case 3 -> bytes[at] = (byte) random.nextInt(256);
      case 4 -> bytes = java.util.Arrays.copyOf(bytes, at);
      default -> {
        // a dimension (bytes 4..) replaced by 0, -1, 2^31 - 1 or a random int
        int dims = (bytes[3] & 0xFF);
        int d = 4 + 4 * random.nextInt(Math.max(1, dims));
        int value = switch (random.nextInt(4)) {
          case 0 -> 0;
          case 1 -> -1;
          case 2 -> Integer.MAX_VALUE;
          default -> random.nextInt();
        };
        if (d + 4 <= bytes.length) {
          java.nio.ByteBuffer.wrap(bytes, d, 4).putInt(value);
        }
      }
    }
    return bytes;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static void write(Path file, byte[] content, boolean gzip) throws IOException {
    if (!gzip) {
      Files.write(file, content);
      return;
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      out.write(content);
    }
    Files.write(file.resolveSibling(file.getFileName() + ".gz"), compressed.toByteArray());
  }
}
