package dptrain.deploy.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run's {@code report.html}: one self-contained page (charts inlined as data URIs, no
 * network) with the run's outcome, its charts, its effective configuration and the events of
 * the cluster's life. Written at the end of every {@code train} and by {@code dptrain report}.
 */
public final class RunReport {
  /** Events beyond this many are counted, not listed: a flood of refusals must not make a page of megabytes. */
  private static final int MAX_EVENTS = 500;

  private RunReport() {}

  /** Draws the charts and writes the page; returns the page's path. */
  public static Path write(Path runDir) throws IOException {
    RunHistory history = RunHistory.read(runDir);
    List<RunCharts.Chart> charts = RunCharts.draw(history, runDir);
    Path config = runDir.resolve("config.conf");
    String configText = Files.exists(config) ? Files.readString(config) : "(no config.conf in the run folder)";
    Path page = runDir.resolve("report.html");
    Path partial = runDir.resolve("report.html.tmp");
    Files.writeString(partial, html(runDir, history, charts, configText));
    Files.move(partial, page, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return page;
  }

  /** At a run's end: writes the report and says where; a run that trained is not failed for a report that could not be drawn. */
  public static void writeAtEnd(Path runDir) {
    try {
      System.out.println("report: " + write(runDir));
    } catch (IOException | RuntimeException e) {
      System.err.println("warning: no report for " + runDir + ": " + e.getMessage());
    }
  }

  static String html(Path runDir, RunHistory history, List<RunCharts.Chart> charts, String configText) throws IOException {
    StringBuilder out = new StringBuilder();
    String name = escape(String.valueOf(runDir.toAbsolutePath().normalize().getFileName()));
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>dptrain run ").append(name)
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}img{max-width:100%}pre{background:#f6f6f6;"
            + "padding:1em;overflow:auto}</style></head><body>\n");
    out.append("<h1>dptrain run ").append(name).append("</h1>\n<h2>Outcome</h2>\n");
    out.append(table(outcome(history)));
    out.append("<h2>Charts</h2>\n");
    for (RunCharts.Chart chart : charts) {
      String data = Base64.getEncoder().encodeToString(Files.readAllBytes(chart.file()));
      out.append("<figure><img alt=\"").append(escape(chart.title())).append("\" src=\"data:image/png;base64,").append(data)
          .append("\"><figcaption>").append(escape(chart.title())).append(" (").append(escape(runDir.relativize(chart.file())
              .toString())).append(")</figcaption></figure>\n");
    }
    out.append("<h2>Events</h2>\n");
    List<JsonLine> events = history.events();
    if (events.isEmpty()) {
      out.append("<p>none</p>\n");
    } else {
      out.append("<table><tr><th>event</th><th>details</th></tr>\n");
      events.stream().limit(MAX_EVENTS).forEach(e -> out.append("<tr><td>").append(escape(e.type())).append("</td><td>")
          .append(escape(e.fields().entrySet().stream().filter(f -> !f.getKey().equals("type"))
              .map(f -> f.getKey() + "=" + e.text(f.getKey())).collect(Collectors.joining(", ")))).append("</td></tr>\n"));
      out.append("</table>\n");
      if (events.size() > MAX_EVENTS) {
        out.append("<p>and ").append(events.size() - MAX_EVENTS).append(" more in metrics.jsonl</p>\n");
      }
    }
    out.append("<h2>Configuration (config.conf)</h2>\n<pre>").append(escape(configText)).append("</pre>\n</body></html>\n");
    return out.toString();
  }

  /** The last evaluation and the summary line, name by name. */
  private static Map<String, String> outcome(RunHistory history) {
    Map<String, String> rows = new java.util.LinkedHashMap<>();
    rows.put("steps recorded", Integer.toString(history.steps().size()));
    if (!history.epochs().isEmpty()) {
      JsonLine last = history.epochs().get(history.epochs().size() - 1);
      last.fields().keySet().stream().filter(k -> !k.equals("type")).forEach(k -> rows.put("last evaluation: " + k, last.text(k)));
    }
    history.summary().ifPresentOrElse(
        s -> s.fields().keySet().stream().filter(k -> !k.equals("type")).forEach(k -> rows.put(k, s.text(k))),
        () -> rows.put("finished", "no (no summary line: the run is still going, or it stopped early)"));
    return rows;
  }

  private static String table(Map<String, String> rows) {
    StringBuilder out = new StringBuilder("<table>\n");
    rows.forEach((k, v) -> out.append("<tr><th>").append(escape(k)).append("</th><td>").append(escape(v)).append("</td></tr>\n"));
    return out.append("</table>\n").toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
