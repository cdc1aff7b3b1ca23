package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  static byte[] idx(int[] dims, byte[] values) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x0800 | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(values);
    return bytes.toByteArray();
  }

  private void write(String name, byte[] content, boolean gzip) throws IOException {
    try (OutputStream out = gzip
        ? new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))
        : Files.newOutputStream(dir.resolve(name))) {
      out.write(content);
    }
  }

  @Test
  void readsGzippedImagesAsFeaturesScaledToOneAndLabelsAsClasses() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4}), true);
    write("train-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {7, 3}), true);

    Dataset data = IdxReader.readPair(dir, "train");

    assertThat(data.rows()).isEqualTo(2);
    assertThat(data.width()).isEqualTo(4);
    assertThat(data.isClassification()).isTrue();
    assertThat(data.label(0)).isEqualTo(7);
    assertThat(data.label(1)).isEqualTo(3);
    java.nio.FloatBuffer row = java.nio.FloatBuffer.allocate(4);
    data.copyInputs(new int[] {0}, row);
    assertThat(row.array()).containsExactly(0f, 1f, 0.2f, 0.4f);
  }

  @Test
  void readsPlainFilesToo() throws IOException {
    write("t10k-images-idx3-ubyte", idx(new int[] {1, 1, 3}, new byte[] {10, 20, 30}), false);
    write("t10k-labels-idx1-ubyte", idx(new int[] {1}, new byte[] {1}), false);

    assertThat(IdxReader.readPair(dir, "t10k").width()).isEqualTo(3);
  }

  @Test
  void aTruncatedFileIsRefusedNamingIt() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2, 2, 2}, new byte[] {1, 2, 3}), true);
    write("train-labels-idx1-ubyte", idx(new int[] {2}, new byte[] {0, 1}), true);

    assertThatThrownBy(() -> IdxReader.readPair(dir, "train"))
        .isInstanceOf(DataException.class).hasMessageContaining("train-images-idx3-ubyte.gz").hasMessageContaining("truncated");
  }

  @Test
  void imagesAndLabelsOfDifferentCountsAreRefused() throws IOException {
    write("train-images-idx3-ubyte", idx(new int[] {2, 1, 1}, new byte[] {1, 2}), false);
    write("train-labels-idx1-ubyte", idx(new int[] {3}, new byte[] {0, 1, 2}), false);

    assertThatThrownBy(() -> IdxReader.readPair(dir, "train")).hasMessageContaining("has 2 rows but");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> IdxReader.readPair(dir, "train"))
        .isInstanceOf(DataException.class).hasMessageContaining("no train-images-idx3-ubyte[.gz] in");
  }

  @Test
  void aFileThatIsNotIdxIsRefused() throws IOException {
    Files.writeString(dir.resolve("train-images-idx3-ubyte"), "not idx at all");
    write("train-labels-idx1-ubyte", idx(new int[] {1}, new byte[] {0}), false);

    assertThatThrownBy(() -> IdxReader.readPair(dir, "train")).hasMessageContaining("not an unsigned-byte IDX file");
  }
}
