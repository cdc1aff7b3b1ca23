package dptrain.deploy.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run folder's metrics.jsonl says happened, split by kind: the steps, the evaluations
 * (epochs), the events of the cluster's life, and the summary line of a finished run.
 */
public record RunHistory(List<JsonLine> steps, List<JsonLine> epochs, List<JsonLine> events, Optional<JsonLine> summary) {
  /**
   * Reads the file. The last line of a run that is still writing may be cut short and is left
   * out; any other line that is not a JSON object is an error naming the file and the line.
   */
  public static RunHistory read(Path runDir) throws IOException {
    Path file = runDir.resolve("metrics.jsonl");
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new IOException(runDir + " is not a run folder: it has no metrics.jsonl");
    }
    List<JsonLine> steps = new ArrayList<>();
    List<JsonLine> epochs = new ArrayList<>();
    List<JsonLine> events = new ArrayList<>();
    JsonLine summary = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonLine line;
      try {
        line = JsonLine.parse(lines.get(i));
      } catch (IllegalArgumentException e) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
      switch (line.type()) {
        case "step" -> steps.add(line);
        case "epoch" -> epochs.add(line);
        case "summary" -> summary = line;
        default -> events.add(line);
      }
    }
    return new RunHistory(List.copyOf(steps), List.copyOf(epochs), List.copyOf(events), Optional.ofNullable(summary));
  }

  /** Whether any step reported staleness (the asynchronous modes do). */
  public boolean asynchronous() {
    return steps.stream().anyMatch(s -> s.has("staleness"));
  }
}
