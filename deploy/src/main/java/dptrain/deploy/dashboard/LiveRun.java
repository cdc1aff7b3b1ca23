package dptrain.deploy.dashboard;

import dptrain.deploy.report.Json;
import dptrain.deploy.report.JsonLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the dashboard knows of the run, from its metrics.jsonl lines: the last step, the recent
 * step time, every evaluation, the training loss per step (thinned as the run grows), where the
 * shards live, and the recent events (joins, departures, refusals, roll-backs, checkpoints).
 * Fed by one thread, read by the server's: every method is synchronized.
 */
final class LiveRun {
  /** Loss points kept; when full, every second one goes and the stride doubles. */
  private static final int MAX_STEP_POINTS = 800;
  private static final int MAX_EVENTS = 100;

  private final String job;
  private JsonLine lastStep;
  private double meanStepMs = Double.NaN;
  private final List<JsonLine> epochs = new ArrayList<>();
  private final List<double[]> stepLosses = new ArrayList<>();
  private long stride = 1;
  private final Deque<JsonLine> events = new ArrayDeque<>();
  private long eventCount;
  private long refused;
  private long checkpoints;
  private String shards = "";
  private final WorkerActivity workerActivity = new WorkerActivity();
  private String status = "starting";

  LiveRun(String job) {
    this.job = job;
  }

  synchronized void add(JsonLine line) {
    switch (line.type()) {
      case "step" -> onStep(line);
      case "epoch" -> epochs.add(line);
      case "summary" -> status = "finished";
      default -> onEvent(line);
    }
  }

  /** The job ended without a summary (it failed); {@code reason} is shown. */
  synchronized void failed(String reason) {
    status = "failed: " + reason;
  }

  private void onStep(JsonLine step) {
    if (lastStep != null && step.number("epoch") == lastStep.number("epoch")) {
      double ms = 1000 * (step.number("elapsed_s") - lastStep.number("elapsed_s"));
      // A moving mean over about the last 50 steps.
      meanStepMs = Double.isNaN(meanStepMs) ? ms : meanStepMs + (ms - meanStepMs) / 50;
    }
    lastStep = step;
    status = "training";
    long index = (long) step.number("step");
    if (index % stride == 0) {
      stepLosses.add(new double[] {index, step.number("train_loss")});
      if (stepLosses.size() > MAX_STEP_POINTS) {
        stride *= 2;
        stepLosses.removeIf(p -> (long) p[0] % stride != 0);
      }
    }
  }

  private void onEvent(JsonLine event) {
    if (event.type().equals("worker_tally")) {
      // Running totals, not an event to list.
      workerActivity.add(event);
      return;
    }
    eventCount++;
    switch (event.type()) {
      case "refused" -> refused++;
      case "checkpoint" -> checkpoints++;
      case "formed" -> {
        shards = event.text("shards");
        workerActivity.reset();
      }
      case "rollback" -> {
        // The run goes back to an earlier step: what came after it is undone, and will be trained again.
        double to = event.number("to_step");
        stepLosses.removeIf(p -> p[0] > to);
        epochs.removeIf(e -> e.number("step") > to);
      }
      default -> { }
    }
    events.addLast(event);
    if (events.size() > MAX_EVENTS) {
      events.removeFirst();
    }
  }

  /** The run as one JSON object; {@code cluster} is the members' array, already JSON. */
  synchronized String toJson(String cluster) {
    StringBuilder out = new StringBuilder("{");
    out.append("\"job\":").append(Json.string(job)).append(",\"status\":").append(Json.string(status));
    if (lastStep != null) {
      out.append(",\"step\":").append(Json.number(lastStep.number("step")))
          .append(",\"epoch\":").append(Json.number(lastStep.number("epoch")))
          .append(",\"train_loss\":").append(Json.number(lastStep.number("train_loss")))
          .append(",\"lr\":").append(Json.number(lastStep.number("lr")))
          .append(",\"elapsed_s\":").append(Json.number(lastStep.number("elapsed_s")))
          .append(",\"workers\":").append(Json.number(lastStep.number("workers")));
    }
    out.append(",\"step_ms\":").append(Json.number(meanStepMs))
        .append(",\"refused\":").append(refused).append(",\"checkpoints\":").append(checkpoints)
        .append(",\"events_total\":").append(eventCount);
    out.append(",\"shards\":[").append(shardsJson()).append(']');
    out.append(",\"worker_activity\":").append(workerActivity.toJson());
    out.append(",\"losses\":[").append(stepLosses.stream().map(p -> "[" + Json.number(p[0]) + "," + Json.number(p[1]) + "]")
        .collect(Collectors.joining(","))).append(']');
    out.append(",\"epochs\":[").append(epochs.stream().map(e -> "{\"epoch\":" + Json.number(e.number("epoch"))
        + ",\"train_loss\":" + Json.number(e.number("train_loss")) + ",\"test_loss\":" + Json.number(e.number("test_loss"))
        + ",\"test_accuracy\":" + Json.number(e.number("test_accuracy")) + ",\"validation_loss\":"
        + Json.number(e.number("validation_loss")) + ",\"samples_per_s\":" + Json.number(e.number("samples_per_s")) + "}")
        .collect(Collectors.joining(","))).append(']');
    out.append(",\"events\":[").append(events.stream().map(LiveRun::eventJson).collect(Collectors.joining(","))).append(']');
    out.append(",\"cluster\":").append(cluster).append('}');
    return out.toString();
  }

  private String shardsJson() {
    if (shards.isBlank()) {
      return "";
    }
    List<String> items = new ArrayList<>();
    for (String item : shards.split(" ")) {
      int at = item.indexOf('@');
      items.add("{\"shard\":" + Json.string(item.substring(0, Math.max(0, at))) + ",\"node\":"
          + Json.string(item.substring(at + 1)) + "}");
    }
    return String.join(",", items);
  }

  private static String eventJson(JsonLine event) {
    String details = event.fields().keySet().stream().filter(k -> !k.equals("type")).map(k -> k + "=" + event.text(k))
        .collect(Collectors.joining(", "));
    return "{\"type\":" + Json.string(event.type()) + ",\"details\":" + Json.string(details) + "}";
  }
}
