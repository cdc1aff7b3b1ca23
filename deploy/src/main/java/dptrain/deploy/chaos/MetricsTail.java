package dptrain.deploy.chaos;

import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Follows a run's metrics.jsonl as it grows: the whole lines written since the last read. */
final class MetricsTail {
  private final Path file;
  private long offset;
  private final StringBuilder partial = new StringBuilder();
  private long lastStep = -1;

  MetricsTail(Path runDir) {
    this.file = runDir.resolve("metrics.jsonl");
  }

  /** The lines completed since the last call (none while the file does not exist). */
  List<JsonLine> read() throws IOException {
    List<JsonLine> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= offset) {
        return lines;
      }
      byte[] bytes = new byte[(int) (length - offset)];
      in.seek(offset);
      in.readFully(bytes);
      offset = length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int newline;
    while ((newline = partial.indexOf("\n")) >= 0) {
      String text = partial.substring(0, newline);
      partial.delete(0, newline + 1);
      if (!text.isBlank()) {
        JsonLine line = JsonLine.parse(text);
        if (line.type().equals("step")) {
          lastStep = (long) line.number("step");
        }
        lines.add(line);
      }
    }
    return lines;
  }

  /** The step of the latest step line read so far (-1 before the first). */
  long lastStep() {
    return lastStep;
  }
}
