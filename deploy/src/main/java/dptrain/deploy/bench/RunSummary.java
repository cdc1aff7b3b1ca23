package dptrain.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The summary line a finished run leaves at the end of its metrics.jsonl, field by field. */
record RunSummary(String line) {
  static RunSummary of(Path runDir) throws IOException {
    var lines = Files.readAllLines(runDir.resolve("metrics.jsonl"));
    return new RunSummary(lines.stream().filter(l -> l.contains("\"type\":\"summary\"")).reduce((a, b) -> b).orElse(""));
  }

  /** A numeric field, or NaN when the summary does not have it. */
  double number(String field) {
    Matcher m = Pattern.compile("\"" + field + "\":(-?[0-9.eE+-]+)").matcher(line);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
