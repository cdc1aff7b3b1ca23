package dptrain.worker.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads numeric CSV: an optional header row, then rows of numbers whose last {@code targets}
 * columns are the targets. A single target column holding only non-negative integers is read
 * as class labels. Ragged rows and non-numeric cells are refused with the line and column.
 */
public final class CsvReader {
  private CsvReader() {}

  public static Dataset read(Path file, int targets) {
    if (targets < 1) {
      throw new DataException("--targets must be >= 1, got " + targets);
    }
    List<Row> rows = new ArrayList<>();
    int columns = -1;
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (rows.isEmpty() && columns < 0 && isHeader(cells)) {
          columns = cells.length;
          continue;
        }
        if (columns >= 0 && cells.length != columns) {
          throw new DataException(file + " line " + lineNo + " has " + cells.length + " columns; the rows before have " + columns);
        }
        columns = cells.length;
        rows.add(parse(file, lineNo, cells));
      }
    } catch (IOException e) {
      throw new DataException("cannot read " + file + ": " + e.getMessage());
    }
    if (rows.isEmpty()) {
      throw new DataException(file + " holds no data rows");
    }
    if (columns <= targets) {
      throw new DataException(file + " has " + columns + " columns: too few for " + targets + " target column(s) and at least one feature");
    }
    return toDataset(rows, columns - targets, targets);
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

  /** A row's values; each is refused when it is not a number that is finite as a float. */
  private static Row parse(Path file, int lineNo, String[] cells) {
    float[] values = new float[cells.length];
    double[] exact = new double[cells.length];
    for (int c = 0; c < cells.length; c++) {
      String cell = cells[c].trim();
      try {
        values[c] = Float.parseFloat(cell);
        exact[c] = Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new DataException(file + " line " + lineNo + " column " + (c + 1) + ": '" + cell + "' is not a number");
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
