package dptrain.protocol.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFileTest {
  @TempDir
  Path dir;

  private static Path golden(String name) throws URISyntaxException {
    return Path.of(NpyFileTest.class.getResource("/golden/" + name).toURI());
  }

  @Test
  void writtenValuesReadBackUnchanged() throws IOException {
    float[] values = {0f, -1.5f, 3.25e-7f, Float.MAX_VALUE};
    Path file = dir.resolve("params.npy");

    NpyFile.writeFloat32(file, values);

    assertThat(NpyFile.readFloats(file)).containsExactly(values);
  }

  @Test
  void theHeaderIsPaddedSoTheDataStartsOnA64ByteBoundary() throws IOException {
    Path file = dir.resolve("p.npy");
    NpyFile.writeFloat32(file, new float[] {1, 2, 3});

    long headerBytes = Files.size(file) - 3 * 4;
    assertThat(headerBytes % 64).isZero();
  }

  @Test
  void readsFloat32AndFloat64FilesWrittenByNumPy() throws Exception {
    assertThat(NpyFile.readFloats(golden("numpy-float32.npy"))).containsExactly(1.5f, -2.0f, 0.25f);
    assertThat(NpyFile.readFloats(golden("numpy-float64.npy"))).containsExactly(0.5f, -1.25f, 3.0f, 1e-3f);
  }

  @Test
  void refusesMatricesAndOtherDtypesNamingTheFile() throws Exception {
    assertThatThrownBy(() -> NpyFile.readFloats(golden("numpy-2d.npy")))
        .hasMessageContaining("numpy-2d.npy").hasMessageContaining("1-D");
    assertThatThrownBy(() -> NpyFile.readFloats(golden("numpy-int32.npy")))
        .hasMessageContaining("i4").hasMessageContaining("float32");
  }

  @Test
  void refusesATruncatedFileAndOneThatIsNotNpy() throws IOException {
    Path file = dir.resolve("t.npy");
    NpyFile.writeFloat32(file, new float[] {1, 2, 3, 4});
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));
    Path text = Files.writeString(dir.resolve("x.npy"), "hello");

    assertThatThrownBy(() -> NpyFile.readFloats(file)).hasMessageContaining("should hold 4 values");
    assertThatThrownBy(() -> NpyFile.readFloats(text)).hasMessageContaining("not a NumPy");
  }
}
