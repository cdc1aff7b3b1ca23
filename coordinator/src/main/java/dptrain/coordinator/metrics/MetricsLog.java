package dptrain.coordinator.metrics;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code metrics.jsonl}: one JSON object per line, {@code "type": "step"} after every
 * step and {@code "type": "epoch"} after every evaluation. Its own actor, so that file I/O
 * never sits inside the Coordinator's step loop.
 */
public final class MetricsLog extends AbstractBehavior<MetricsLog.Record> {

  /** A line of metrics. */
  public sealed interface Record {}

  /**
   * One applied step (or, in async modes, one applied micro-batch). {@code dropped}: micro-batches
   * the step closed without (backup workers); {@code staleness}: how many updates the shards had
   * applied since the parameters the gradient was computed at (async modes); negative: not reported.
   */
  public record StepRecord(long step, long epoch, double trainLoss, int samples, double lr, boolean skipped,
      double elapsedSeconds, int dropped, long staleness, long gradientBytes, int workers, String rows) implements Record {

    public StepRecord(long step, long epoch, double trainLoss, int samples, double lr, boolean skipped,
        double elapsedSeconds) {
      this(step, epoch, trainLoss, samples, lr, skipped, elapsedSeconds, -1, -1, -1, 0, null);
    }
  }

  /** {@code epochSamples}: samples applied in this epoch so far (each sample once: the exactly-once proof); -1 unknown. */
  public record EpochRecord(long epoch, long step, double trainLoss, double testLoss, double testAccuracy,
      double samplesPerSecond, double elapsedSeconds, double validationLoss, double validationAccuracy, long epochSamples)
      implements Record {

    public EpochRecord(long epoch, long step, double trainLoss, double testLoss, double testAccuracy,
        double samplesPerSecond, double elapsedSeconds, double validationLoss, double validationAccuracy) {
      this(epoch, step, trainLoss, testLoss, testAccuracy, samplesPerSecond, elapsedSeconds, validationLoss,
          validationAccuracy, -1);
    }

    public EpochRecord(long epoch, long step, double trainLoss, double testLoss, double testAccuracy,
        double samplesPerSecond, double elapsedSeconds) {
      this(epoch, step, trainLoss, testLoss, testAccuracy, samplesPerSecond, elapsedSeconds, Double.NaN, Double.NaN);
    }
  }

  /** Early stopping ended training after {@code step}; the best validation loss was after {@code bestStep}. */
  public record StopRecord(long step, long bestStep, double bestValidationLoss, double validationLoss, String reason)
      implements Record {}

  /**
   * A line about the run's life: a checkpoint written, a resume, a worker that left, a refused
   * message. {@code fields} are further JSON members, already rendered ({@code "\"step\":3"}).
   */
  public record EventRecord(String type, String fields) implements Record {

    /** An event with fields given as name, value, name, value...; strings are quoted and escaped, numbers written as they are. */
    public static EventRecord of(String type, Object... namesAndValues) {
      StringBuilder fields = new StringBuilder();
      for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
        Object value = namesAndValues[i + 1];
        fields.append(i == 0 ? "" : ",").append('"').append(namesAndValues[i]).append("\":");
        if (value instanceof Double d) {
          fields.append(number(d));
        } else if (value instanceof Number || value instanceof Boolean) {
          fields.append(value);
        } else {
          fields.append('"').append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
      }
      return new EventRecord(type, fields.toString());
    }
  }

  /** Write what is queued, close the file, answer {@link Closed}, stop. */
  public record Close(akka.actor.typed.ActorRef<Closed> replyTo) implements Record {}

  public enum Closed {
    INSTANCE
  }

  private final BufferedWriter out;
  private long lastFlush = System.nanoTime();

  public static Behavior<Record> create(Path runDir) {
    return create(runDir, false);
  }

  /** With {@code append}, a resumed run goes on in the same file. */
  public static Behavior<Record> create(Path runDir, boolean append) {
    return Behaviors.setup(context -> new MetricsLog(context, runDir, append));
  }

  private MetricsLog(ActorContext<Record> context, Path runDir, boolean append) throws IOException {
    super(context);
    Files.createDirectories(runDir);
    Path file = runDir.resolve("metrics.jsonl");
    this.out = append
        ? Files.newBufferedWriter(file, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
        : Files.newBufferedWriter(file);
    if (append && endsMidLine(file)) {
      // A coordinator killed while writing left half a line: ours start on a line of their own.
      out.newLine();
    }
  }

  private static boolean endsMidLine(Path file) throws IOException {
    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
      if (channel.size() == 0) {
        return false;
      }
      java.nio.ByteBuffer last = java.nio.ByteBuffer.allocate(1);
      channel.read(last, channel.size() - 1);
      return last.get(0) != '\n';
    }
  }

  @Override
  public Receive<Record> createReceive() {
    return newReceiveBuilder()
        .onMessage(StepRecord.class, this::onStep)
        .onMessage(EpochRecord.class, this::onEpoch)
        .onMessage(StopRecord.class, this::onStop)
        .onMessage(EventRecord.class, r -> {
          write("{\"type\":\"" + r.type() + "\"" + (r.fields().isEmpty() ? "" : "," + r.fields()) + "}", true);
          return this;
        })
        .onMessage(Close.class, c -> {
          close();
          c.replyTo().tell(Closed.INSTANCE);
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, signal -> close())
        .build();
  }

  private Behavior<Record> onStep(StepRecord r) {
    write(String.format(Locale.ROOT,
        "{\"type\":\"step\",\"step\":%d,\"epoch\":%d,\"train_loss\":%s,\"samples\":%d,\"lr\":%s,"
            + "\"skipped\":%b,\"elapsed_s\":%.4f%s%s%s%s}",
        r.step(), r.epoch(), number(r.trainLoss()), r.samples(), number(r.lr()), r.skipped(), r.elapsedSeconds(),
        r.workers() > 0 ? ",\"workers\":" + r.workers() : "",
        r.dropped() < 0 ? "" : ",\"dropped\":" + r.dropped(), (r.staleness() < 0 ? "" : ",\"staleness\":" + r.staleness())
            + (r.gradientBytes() < 0 ? "" : ",\"gradient_bytes\":" + r.gradientBytes() + ",\"bytes_per_worker\":"
                + r.gradientBytes() / Math.max(1, r.workers())),
        r.rows() == null ? "" : ",\"rows\":\"" + r.rows() + "\""), false);
    return this;
  }

  private Behavior<Record> onEpoch(EpochRecord r) {
    write(String.format(Locale.ROOT,
        "{\"type\":\"epoch\",\"epoch\":%d,\"step\":%d,\"train_loss\":%s,\"test_loss\":%s,\"test_accuracy\":%s,"
            + "\"samples_per_s\":%.1f,\"elapsed_s\":%.4f%s%s}",
        r.epoch(), r.step(), number(r.trainLoss()), number(r.testLoss()), number(r.testAccuracy()),
        r.samplesPerSecond(), r.elapsedSeconds(), r.epochSamples() < 0 ? "" : ",\"epoch_samples\":" + r.epochSamples(),
        Double.isNaN(r.validationLoss()) ? ""
            : ",\"validation_loss\":" + number(r.validationLoss()) + ",\"validation_accuracy\":"
                + number(r.validationAccuracy())), true);
    return this;
  }

  private Behavior<Record> onStop(StopRecord r) {
    write(String.format(Locale.ROOT,
        "{\"type\":\"early_stop\",\"step\":%d,\"best_step\":%d,\"best_validation_loss\":%s,"
            + "\"validation_loss\":%s,\"reason\":\"%s\"}",
        r.step(), r.bestStep(), number(r.bestValidationLoss()), number(r.validationLoss()), r.reason()), true);
    return this;
  }

  /** JSON has no NaN: a value that is not finite is written as null. */
  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null";
  }

  private void write(String line, boolean flush) {
    try {
      out.write(line);
      out.newLine();
      // Step lines are many: they go out at least once a second, for whoever follows the file.
      long now = System.nanoTime();
      if (flush || now - lastFlush > 1_000_000_000L) {
        out.flush();
        lastFlush = now;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Behavior<Record> close() {
    try {
      out.close();
    } catch (IOException e) {
      getContext().getLog().error("could not close metrics.jsonl: {}", e.getMessage());
    }
    return this;
  }
}
