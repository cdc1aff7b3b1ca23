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
  void aFloat64JobReadsTheDecimalsExactlyAndAFloat32JobRoundedOnceToFloat() throws IOException {
    Dataset data = CsvReader.read(csv("0.1,0.3333333333333333,0.7\n2.5,1e-300,0.2\n"), 1);
    var wide = java.nio.DoubleBuffer.allocate(4);
    var narrow = java.nio.FloatBuffer.allocate(4);
    double[] targets = new double[2];
    double[] roundedTargets = new double[2];

    data.copyInputs(new int[] {1, 0}, wide);
    data.copyInputs(new int[] {1, 0}, narrow);
    data.copyTargets(new int[] {0, 1}, targets, 1, true);
    data.copyTargets(new int[] {0, 1}, roundedTargets, 1, false);

    assertThat(wide.array()).containsExactly(2.5, 1e-300, 0.1, 0.3333333333333333);
    assertThat(narrow.array()).containsExactly(2.5f, 0f, 0.1f, 0.33333334f);
    assertThat(targets).containsExactly(0.7, 0.2);
    assertThat(roundedTargets).containsExactly((double) 0.7f, (double) 0.2f);
    var picked = java.nio.DoubleBuffer.allocate(2);
    data.select(new int[] {0}).copyInputs(new int[] {0}, picked);
    assertThat(picked.array()).as("a selection keeps the exact values").containsExactly(0.1, 0.3333333333333333);
  }

  @Test
  void aStandardisationKeepsTheExactValuesInDouble() throws IOException {
    Dataset data = CsvReader.read(csv("0.1,0\n0.3,1\n"), 1);
    var zscore = new FittedStandardization("zscore", new double[] {0.2}, new double[] {0.1}, null);
    var wide = java.nio.DoubleBuffer.allocate(2);

    zscore.apply(data).copyInputs(new int[] {0, 1}, wide);

    assertThat(wide.array()).containsExactly((0.1 - 0.2) / 0.1, (0.3 - 0.2) / 0.1);
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

  @Test
  void quotedCellsMayHoldCommasQuotesAndLineBreaksAndLinesAreCountedFromTheFile() throws IOException {
    Path file = csv("\"width, in cm\",\"say \"\"hi\"\"\nthere\",label\n\n\"1.5\",2,1\n3,4,0\n5,x,1\n");

    assertThatThrownBy(() -> CsvReader.read(file, 1)).hasMessage(file + " line 6 column 2: 'x' is not a number");
    Files.writeString(file, "\"width, in cm\",\"say \"\"hi\"\"\nthere\",label\n\n\"1.5\",2,1\n3,4,0\n");
    Dataset data = CsvReader.read(file, 1);
    assertThat(data.rows()).isEqualTo(2);
    assertThat(data.input(0, 0)).isEqualTo(1.5f);
  }

  @Test
  void aHeaderCanBeDeclaredEitherWay() throws IOException {
    assertThat(CsvReader.read(csv("1,2,0\n3,4,1\n5,6,1\n"), 1, "yes").rows()).as("a numeric first row declared a header").isEqualTo(2);
    assertThatThrownBy(() -> CsvReader.read(csv("a,b,t\n1,2,0\n"), 1, "no"))
        .hasMessageContaining("line 1 column 1: 'a' is not a number (is the first row a header? then --csv-header yes or auto)");
  }

  @Test
  void aGzipFileIsReadThroughGzip() throws IOException {
    Path file = dir.resolve("data.csv.gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("a,b,t\n1,2,0\n3,4,1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    assertThat(CsvReader.read(file, 1).rows()).isEqualTo(2);
  }

  @Test
  void bytesThatAreNotTextOrNotGzipAreRefusedSayingWhat() throws IOException {
    Path gzipped = dir.resolve("digits.csv");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzipped))) {
      out.write("1,2,0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> CsvReader.read(gzipped, 1))
        .hasMessage("cannot read " + gzipped + ": it is not UTF-8 text (a compressed file? gzip files are read when their name ends in .gz)");

    Path fake = Files.writeString(dir.resolve("fake.csv.gz"), "1,2,0\n");
    assertThatThrownBy(() -> CsvReader.read(fake, 1)).hasMessageStartingWith("cannot read " + fake + ": it ends in .gz but is not gzip data");
  }

  @Test
  void brokenQuotingIsRefusedNamingTheFile() throws IOException {
    Path file = csv("a,b,t\n1,\"2,0\n3,4,1\n");

    assertThatThrownBy(() -> CsvReader.read(file, 1)).isInstanceOf(DataException.class)
        .hasMessageStartingWith("cannot read " + file + ": ").hasMessageContaining("line");
  }
}
