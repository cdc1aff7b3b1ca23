package dptrain.worker.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads numeric CSV with Apache Commons CSV (RFC 4180: quoted cells, commas and line breaks
 * inside quotes): a header row (detected, or declared with {@code header} yes/no), then rows of
 * numbers whose last {@code targets} columns are the targets. A single target column holding only
 * non-negative integers is read as class labels. A {@code .gz} file is read through gzip. Every
 * error names the file and the line: ragged rows, cells that are not numbers, broken quoting, and
 * bytes that are not UTF-8 text.
 */
public final class CsvReader {
  private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).setTrim(true).build();

  private CsvReader() {}

  /** As {@link #read(Path, int, String)} with the header detected. */
  public static Dataset read(Path file, int targets) {
    return read(file, targets, "auto");
  }

  public static Dataset read(Path file, int targets, String header) {
    if (targets < 1) {
      throw new DataException("--targets must be >= 1, got " + targets);
    }
    List<Row> rows = new ArrayList<>();
    int columns = -1;
    boolean first = true;
    try (Reader text = reader(file); CSVParser parser = CSVParser.parse(text, FORMAT)) {
      Iterator<CSVRecord> records = parser.iterator();
      while (true) {
        // The lines read before a record begins: its own line is the next one (quoted cells may span lines).
        long lineNo = parser.getCurrentLineNumber() + 1;
        if (!records.hasNext()) {
          break;
        }
        CSVRecord record = records.next();
        if (record.size() == 1 && record.get(0).isEmpty()) {
          continue;
        }
        String[] cells = record.values();
        if (first) {
          first = false;
          if (header.equals("yes") || (header.equals("auto") && isHeader(cells))) {
            columns = cells.length;
            continue;
          }
        }
        if (columns >= 0 && cells.length != columns) {
          throw new DataException(file + " line " + lineNo + " has " + cells.length + " columns; the rows before have " + columns);
        }
        columns = cells.length;
        rows.add(parse(file, lineNo, cells, header.equals("no") && rows.isEmpty()));
      }
    } catch (UncheckedIOException e) {
      throw unreadable(file, e.getCause());
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    if (rows.isEmpty()) {
      throw new DataException(file + " holds no data rows");
    }
    if (columns <= targets) {
      throw new DataException(file + " has " + columns + " columns: too few for " + targets + " target column(s) and at least one feature");
    }
    return toDataset(rows, columns - targets, targets);
  }

  /** The file as strict UTF-8 text: bytes that are not text are an error, not replacement characters. */
  private static Reader reader(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
  }

  private static DataException unreadable(Path file, IOException e) {
    if (e instanceof MalformedInputException || e instanceof java.nio.charset.UnmappableCharacterException) {
      return new DataException("cannot read " + file + ": it is not UTF-8 text" + (file.toString().endsWith(".gz") ? ""
          : " (a compressed file? gzip files are read when their name ends in .gz)"));
    }
    if (e instanceof java.util.zip.ZipException) {
      return new DataException("cannot read " + file + ": it ends in .gz but is not gzip data (" + e.getMessage() + ")");
    }
    // Commons CSV names the line of broken quoting in its message.
    return new DataException("cannot read " + file + ": " + e.getMessage());
  }

  private static boolean isHeader(String[] cells) {
    for (String cell : cells) {
      if (!isNumber(cell.trim())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return !cell.isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A row's values, each decimal rounded once to a float (as a float32 job trains on it) and once to a double. */
  private record Row(float[] floats, double[] exact) {}

  /**
   * A row's values; each is refused when it is not a number that is finite as a float. With
   * {@code declaredNoHeader}, a first row of words says how to read the file instead.
   */
  private static Row parse(Path file, long lineNo, String[] cells, boolean declaredNoHeader) {
    float[] values = new float[cells.length];
    double[] exact = new double[cells.length];
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c].trim();
      try {
        values[c] = Float.parseFloat(cell);
        exact[c] = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new DataException(file + " line " + lineNo + " column " + (c + 1) + ": '" + cell + "' is not a number"
            + (declaredNoHeader ? " (is the first row a header? then --csv-header yes or auto)" : ""));
      }
      if (!Float.isFinite(values[c])) {
        throw new DataException(file + " line " + lineNo + " column " + (c + 1) + ": '" + cell + "' is not a finite number");
      }
    }
    return new Row(values, exact);
  }

  /** The rows as floats, for a float32 job, and exactly, as doubles, for a float64 job. */
  private static Dataset toDataset(List<Row> rows, int width, int targets) {
    float[] features = new float[rows.size() * width];
    float[] y = new float[rows.size() * targets];
    double[] exactFeatures = new double[rows.size() * width];
    double[] exactY = new double[rows.size() * targets];
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      System.arraycopy(row.floats(), 0, features, r * width, width);
      System.arraycopy(row.floats(), width, y, r * targets, targets);
      System.arraycopy(row.exact(), 0, exactFeatures, r * width, width);
      System.arraycopy(row.exact(), width, exactY, r * targets, targets);
    }
    boolean integral = targets == 1;
    for (int r = 0; r < rows.size() && integral; r++) {
      integral = y[r] >= 0 && y[r] == Math.rint(y[r]);
    }
    if (integral) {
      int[] labels = new int[rows.size()];
      for (int r = 0; r < labels.length; r++) {
        labels[r] = (int) y[r];
      }
      return Dataset.labelled(features, width, labels).withExact(exactFeatures, null);
    }
    return Dataset.regression(features, width, y, targets).withExact(exactFeatures, exactY);
  }

}
