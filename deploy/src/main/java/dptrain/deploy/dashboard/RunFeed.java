package dptrain.deploy.dashboard;

import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a run's metrics.jsonl as the coordinator writes it: each {@link #poll()} returns the
 * complete lines added since the last one (a line still being written waits for its newline).
 * The file is the run's one record, so the dashboard and /metrics show exactly what it says.
 */
public final class RunFeed {
  private final Path file;
  private long offset;
  private byte[] partial = new byte[0];

  public RunFeed(Path runDir) {
    this.file = runDir.resolve("metrics.jsonl");
  }

  /** The new complete lines, parsed; a line that is not JSON is skipped (the report names it). */
  public List<JsonLine> poll() throws IOException {
    List<JsonLine> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      return lines;
    }
    byte[] added;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length < offset) {
        // A new run in the same folder started the file again.
        offset = 0;
        partial = new byte[0];
      }
      added = new byte[(int) Math.min(Integer.MAX_VALUE - 16, length - offset)];
      in.seek(offset);
      in.readFully(added);
      offset += added.length;
    }
    byte[] text = new byte[partial.length + added.length];
    System.arraycopy(partial, 0, text, 0, partial.length);
    System.arraycopy(added, 0, text, partial.length, added.length);
    int start = 0;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == '\n') {
        String line = new String(text, start, i - start, StandardCharsets.UTF_8).strip();
        start = i + 1;
        if (!line.isEmpty()) {
          try {
            lines.add(JsonLine.parse(line));
          } catch (IllegalArgumentException e) {
            // Not ours to judge here: 'dptrain report' names the line.
          }
        }
      }
    }
    partial = java.util.Arrays.copyOfRange(text, start, text.length);
    return lines;
  }
}
