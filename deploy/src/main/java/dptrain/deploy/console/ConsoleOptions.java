package dptrain.deploy.console;

import picocli.CommandLine.Option;

/** How a run talks to its terminal; a mixin of {@code train} and {@code coordinator}. */
public final class ConsoleOptions {
  @Option(names = "--quiet", description = {
      "Print only warnings, errors, where the run folder and its report are, and the final line (no progress",
      "bars, no epoch lines)."})
  boolean quiet;

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text", description = {
      "text: a progress bar per epoch on a terminal, one line per event otherwise; json: one JSON object per",
      "line and event on stdout (the run's evaluations, cluster events and summary, as in metrics.jsonl), for",
      "scripts (default: ${DEFAULT-VALUE})."})
  String logFormat = "text";

  /** What the run prints, from these options and whether stdout is a terminal. */
  public ConsoleMode mode() {
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new dptrain.deploy.UsageException("--log-format must be text or json, got '" + logFormat + "'");
    }
    if (logFormat.equals("json")) {
      return ConsoleMode.JSON;
    }
    if (quiet) {
      return ConsoleMode.QUIET;
    }
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb") ? ConsoleMode.PROGRESS : ConsoleMode.LINES;
  }
}
