package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
  @TempDir
  Path dir;

  private Path csv(String text) throws IOException {
    return Files.writeString(dir.resolve("data.csv"), text);
  }

  @Test
  void aHeaderRowIsSkippedAndAnIntegerLastColumnIsReadAsClassLabels() throws IOException {
    Dataset data = CsvReader.read(csv("a,b,label\n0.5,1,2\n-1,2e-1,0\n"), 1);

    assertThat(data.rows()).isEqualTo(2);
    assertThat(data.width()).isEqualTo(2);
    assertThat(data.isClassification()).isTrue();
    assertThat(data.label(0)).isEqualTo(2);
    assertThat(data.maxLabel()).isEqualTo(2);
  }

  @Test
  void withoutAHeaderEveryRowIsData() throws IOException {
    assertThat(CsvReader.read(csv("1,2,0\n3,4,1\n"), 1).rows()).isEqualTo(2);
  }

  @Test
  void severalTargetColumnsAreRegressionOutputs() throws IOException {
    Dataset data = CsvReader.read(csv("1,2,0.5,7\n3,4,1.5,8\n"), 2);

    assertThat(data.isClassification()).isFalse();
    assertThat(data.targetWidth()).isEqualTo(2);
    assertThat(data.target(1, 0)).isEqualTo(1.5f);
    assertThat(data.target(1, 1)).isEqualTo(8f);
  }

  @Test
  void aRaggedRowIsRefusedWithItsLine() throws IOException {
    assertThatThrownBy(() -> CsvReader.read(csv("x,y,t\n1,2,0\n1,2\n"), 1))
        .isInstanceOf(DataException.class).hasMessageContaining("line 3 has 2 columns; the rows before have 3");
  }

  @Test
  void aNonNumericCellIsRefusedWithItsLineAndColumn() throws IOException {
    assertThatThrownBy(() -> CsvReader.read(csv("1,2,0\n1,abc,1\n"), 1))
        .hasMessageContaining("line 2 column 2: 'abc' is not a number");
  }

  @Test
  void tooFewColumnsForTheTargetsAreRefused() throws IOException {
    assertThatThrownBy(() -> CsvReader.read(csv("1,2\n"), 2)).hasMessageContaining("too few");
  }
}
