package dptrain.deploy.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dptrain.deploy.dashboard.RunFeed;
import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * What a run prints while it trains, in its {@link ConsoleMode}. Progress bars and JSON events
 * follow the run folder's metrics.jsonl (on one daemon thread, four times a second); the
 * epoch lines they replace, and in quiet mode all INFO lines, are turned off at their loggers.
 */
public final class RunConsole implements AutoCloseable {
  private static final String EPOCH_LINES = "dptrain.coordinator.generation.Generation";

  private final ConsoleMode mode;
  private final PrintStream original;
  private ScheduledExecutorService follower;
  private RunFeed feed;
  private EpochBars bars;

  private RunConsole(ConsoleMode mode) {
    this.mode = mode;
    this.original = System.out;
  }

  /** Sets the run's output up: log levels, and for JSON every other line of stdout as a JSON message. */
  public static RunConsole open(ConsoleMode mode) {
    RunConsole console = new RunConsole(mode);
    switch (mode) {
      case QUIET, JSON -> level("dptrain", Level.WARN);
      case PROGRESS -> level(EPOCH_LINES, Level.WARN);
      case LINES -> { }
    }
    if (mode == ConsoleMode.JSON) {
      System.setOut(new PrintStream(new JsonLinesOut(console.original), true, java.nio.charset.StandardCharsets.UTF_8));
    }
    return console;
  }

  /** Starts following the run in {@code runDir} (progress bars or JSON events; nothing in the other modes). */
  private void follow(Path runDir) {
    if (mode != ConsoleMode.PROGRESS && mode != ConsoleMode.JSON) {
      return;
    }
    stopFollowing();
    feed = new RunFeed(runDir);
    bars = mode == ConsoleMode.PROGRESS ? new EpochBars(System.err) : null;
    follower = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "dptrain-console");
      thread.setDaemon(true);
      return thread;
    });
    follower.scheduleWithFixedDelay(this::poll, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code run} while following the run in {@code runDir}, and stops following when it returns. */
  public <T> T following(Path runDir, java.util.function.Supplier<T> run) {
    follow(runDir);
    try {
      return run.get();
    } finally {
      stopFollowing();
    }
  }

  private synchronized void poll() {
    if (feed == null) {
      return;
    }
    try {
      for (JsonLine line : feed.poll()) {
        if (bars != null) {
          bars.add(line);
        } else if (!line.type().equals("step")) {
          synchronized (original) {
            original.println(line.toJson());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // The run's own output goes on; the bars or events just stop.
      System.err.println("warning: cannot follow the run: " + e.getMessage());
      feed = null;
    }
  }

  /** The run ended: what it wrote last is shown, and the bar closed. */
  private synchronized void stopFollowing() {
    if (follower == null) {
      return;
    }
    follower.shutdownNow();
    try {
      follower.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    follower = null;
    poll();
    if (bars != null) {
      bars.close();
    }
    feed = null;
  }

  @Override
  public void close() {
    stopFollowing();
    if (mode == ConsoleMode.JSON) {
      System.out.flush();
      System.setOut(original);
    }
    level("dptrain", null);
    level(EPOCH_LINES, null);
  }

  private static void level(String logger, Level level) {
    if (LoggerFactory.getLogger(logger) instanceof Logger logback) {
      logback.setLevel(level == null && logger.equals("dptrain") ? Level.toLevel(
          System.getenv().getOrDefault("DPTRAIN_LOG_LEVEL", "INFO"), Level.INFO) : level);
    }
  }
}
