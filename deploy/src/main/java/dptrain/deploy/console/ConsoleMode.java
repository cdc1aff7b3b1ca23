package dptrain.deploy.console;

/** What a run prints while it trains. */
public enum ConsoleMode {
  /** A live progress bar per epoch (a terminal): epoch, samples, elapsed and ETA, loss, accuracy, samples/s, workers. */
  PROGRESS,
  /** One plain line per epoch and per event (a pipe or a file). */
  LINES,
  /** Warnings, errors and the final line only. */
  QUIET,
  /** One JSON object per line on stdout. */
  JSON
}
