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
    double[] values = {0, -1.5, 3.25e-7, Float.MAX_VALUE};
    Path narrow = dir.resolve("params32.npy");
    Path wide = dir.resolve("params64.npy");

    NpyFile.write(narrow, FlatArray.of(Precision.FLOAT32, values));
    NpyFile.write(wide, FlatArray.of(Precision.FLOAT64, new double[] {Math.PI, -1e-300}));

    assertThat(NpyFile.read(narrow).precision()).isEqualTo(Precision.FLOAT32);
    assertThat(NpyFile.read(narrow).toDoubles()).containsExactly(0, -1.5, (float) 3.25e-7, Float.MAX_VALUE);
    assertThat(NpyFile.read(wide).precision()).isEqualTo(Precision.FLOAT64);
    assertThat(NpyFile.read(wide).toDoubles()).containsExactly(Math.PI, -1e-300);
  }

  @Test
  void theHeaderIsPaddedSoTheDataStartsOnA64ByteBoundary() throws IOException {
    Path file = dir.resolve("p.npy");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT32, new double[] {1, 2, 3}));

    long headerBytes = Files.size(file) - 3 * 4;
    assertThat(headerBytes % 64).isZero();
  }

  @Test
  void readsFloat32AndFloat64FilesWrittenByNumPy() throws Exception {
    assertThat(NpyFile.read(golden("numpy-float32.npy")).toDoubles()).containsExactly(1.5, -2.0, 0.25);
    assertThat(NpyFile.read(golden("numpy-float64.npy")).toDoubles()).containsExactly(0.5, -1.25, 3.0, 1e-3);
  }

  @Test
  void refusesMatricesAndOtherDtypesNamingTheFile() throws Exception {
    assertThatThrownBy(() -> NpyFile.read(golden("numpy-2d.npy")))
        .hasMessageContaining("numpy-2d.npy").hasMessageContaining("1-D");
    assertThatThrownBy(() -> NpyFile.read(golden("numpy-int32.npy")))
        .hasMessageContaining("i4").hasMessageContaining("float32");
  }

  @Test
  void refusesATruncatedFileAndOneThatIsNotNpy() throws IOException {
    Path file = dir.resolve("t.npy");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT32, new double[] {1, 2, 3, 4}));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 2));
    Path text = Files.writeString(dir.resolve("x.npy"), "hello");

    assertThatThrownBy(() -> NpyFile.read(file)).hasMessageContaining("should hold 4 values");
    assertThatThrownBy(() -> NpyFile.read(text)).hasMessageContaining("not a NumPy");
  }
}
