package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** async, ssp and backup train Fashion-MNIST on a real 4-worker cluster and report what they did. */
class ConsistencyModesIntegrationTest {
  @TempDir
  Path dir;

  private List<String> train(String name, Object... mode) throws Exception {
    Object[] base = {"epochs", 1, "workers", 4, "seed", 2};
    var settings = TestJobs.settings(dir.resolve(name),
        java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(mode)).toArray());
    var finished = TestJobs.train(settings, false);
    // Async and SSP results depend on arrival order: one epoch reached 0.7444 on a loaded
    // machine (0.80 and more when idle). Chance is 0.10; a broken update path stays near it.
    assertThat(finished.testAccuracy()).as(name + " accuracy after one epoch").isGreaterThan(0.70);
    return Files.readAllLines(settings.runDir().resolve("metrics.jsonl"));
  }

  private static long sum(List<String> lines, String type, String field) {
    Pattern p = Pattern.compile("\"" + field + "\":(\\d+)");
    return lines.stream().filter(l -> l.contains("\"type\":\"" + type + "\"")).mapToLong(l -> {
      Matcher m = p.matcher(l);
      return m.find() ? Long.parseLong(m.group(1)) : 0;
    }).sum();
  }

  @Test
  void asyncAppliesEveryMicroBatchOnArrivalAndReportsItsStaleness() throws Exception {
    var lines = train("async", "mode", "async");

    assertThat(sum(lines, "epoch", "epoch_samples")).isEqualTo(60_000);
    assertThat(lines).filteredOn(l -> l.contains("\"type\":\"step\"")).allMatch(l -> l.contains("\"staleness\":"));
    var summary = lines.get(lines.size() - 1);
    assertThat(summary).contains("\"mode\":\"async\"");
    assertThat(number(summary, "mean_staleness")).as("updates applied on arrival are stale").isGreaterThan(0);
    // Unbounded, some worker runs more than one micro-batch ahead of the slowest: the check in
    // the SSP test below is not vacuous.
    assertThat(number(summary, "max_lead")).isGreaterThan(1);
  }

  private static double number(String line, String field) {
    Matcher m = Pattern.compile("\"" + field + "\":([0-9.Ee+-]+)").matcher(line);
    assertThat(m.find()).as(field + " in " + line).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void sspKeepsTheFastestWorkerWithinTheBound() throws Exception {
    var lines = train("ssp", "mode", "ssp", "staleness", 1);

    assertThat(sum(lines, "epoch", "epoch_samples")).isEqualTo(60_000);
    var summary = lines.get(lines.size() - 1);
    assertThat(summary).contains("\"mode\":\"ssp\"");
    assertThat(number(summary, "max_lead")).as("no worker started a micro-batch more than 1 ahead of the slowest")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void backupWorkersCloseEachStepWithoutTheLastMicroBatchAndCountIt() throws Exception {
    var lines = train("backup", "mode", "backup", "backup-workers", 1);

    long steps = lines.stream().filter(l -> l.contains("\"type\":\"step\"")).count();
    assertThat(sum(lines, "step", "dropped")).isEqualTo(steps);
    // Three of every four micro-batches count: 60,000 rows in 469 batches of 128 (the last of 96).
    assertThat(sum(lines, "epoch", "epoch_samples")).isEqualTo(468 * 96 + 72);
  }
}
