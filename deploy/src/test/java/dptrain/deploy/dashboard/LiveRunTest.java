package dptrain.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.report.JsonLine;
import org.junit.jupiter.api.Test;

class LiveRunTest {
  private static JsonLine step(long step, long epoch, double loss, double elapsed) {
    return JsonLine.parse(String.format(java.util.Locale.ROOT, "{\"type\":\"step\",\"step\":%d,\"epoch\":%d,\"train_loss\":%s,"
        + "\"samples\":128,\"lr\":0.001,\"elapsed_s\":%s,\"workers\":2}", step, epoch, loss, elapsed));
  }

  @Test
  void theStateShowsTheLastStepTheStepTimeAndTheShardsByNode() {
    LiveRun run = new LiveRun("job-1");
    run.add(JsonLine.parse("{\"type\":\"formed\",\"workers\":2,\"worker_nodes\":\"a b\",\"shards\":\"0@akka://d@h:1 1@akka://d@h:2\"}"));
    run.add(step(0, 0, 2.0, 0.010));
    run.add(step(1, 0, 1.5, 0.014));

    String json = run.toJson("[]");

    assertThat(json).contains("\"job\":\"job-1\"", "\"status\":\"training\"", "\"step\":1", "\"workers\":2",
        "\"step_ms\":4", "\"losses\":[[0,2],[1,1.50000]]",
        "\"shards\":[{\"shard\":\"0\",\"node\":\"akka://d@h:1\"},{\"shard\":\"1\",\"node\":\"akka://d@h:2\"}]");
  }

  @Test
  void aRollBackUndoesTheCurveAfterTheStepItGoesBackTo() {
    LiveRun run = new LiveRun("job");
    for (int s = 0; s < 10; s++) {
      run.add(step(s, s / 5, 1.0 / (s + 1), s * 0.01));
    }
    run.add(JsonLine.parse("{\"type\":\"epoch\",\"epoch\":1,\"step\":5,\"train_loss\":0.5,\"test_loss\":0.6}"));
    run.add(JsonLine.parse("{\"type\":\"epoch\",\"epoch\":2,\"step\":10,\"train_loss\":0.4,\"test_loss\":0.5}"));
    run.add(JsonLine.parse("{\"type\":\"rollback\",\"from_step\":10,\"to_step\":5,\"generation\":1}"));

    String json = run.toJson("[]");

    assertThat(json).contains("[5,0.166667]]").doesNotContain("[6,");
    assertThat(json).contains("\"epoch\":1,").doesNotContain("\"epoch\":2,");
    assertThat(json).contains("{\"type\":\"rollback\",\"details\":\"from_step=10, to_step=5, generation=1\"}");
  }

  @Test
  void aLongRunKeepsABoundedThinnedCurveThatStillEndsNearTheLastStep() {
    LiveRun run = new LiveRun("job");
    for (int s = 0; s < 100_000; s++) {
      run.add(step(s, s / 1000, 1.0, s * 0.001));
    }

    String losses = run.toJson("[]").replaceAll(".*\"losses\":\\[(.*?)\\]\\],.*", "$1");
    long points = losses.chars().filter(c -> c == '[').count();
    assertThat(points).isBetween(400L, 800L);
    assertThat(losses).contains("[99840,");
  }

  @Test
  void failureAndTextThatCouldCloseAScriptAreShownSafely() {
    LiveRun run = new LiveRun("</script><b>");
    run.failed("a \"reason\"");

    assertThat(run.toJson("[]")).contains("\"job\":\"\\u003c/script\\u003e\\u003cb\\u003e\"",
        "\"status\":\"failed: a \\\"reason\\\"\"");
  }

  @Test
  void eachWorkerNodesMicroBatchesAndItsRecentTimePerMicroBatchAreShownAndTheTallyIsNotListedAsAnEvent() {
    LiveRun run = new LiveRun("job");
    run.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=10 akka://d@h:2=10\","
        + "\"compute_s\":\"akka://d@h:1=0.02 akka://d@h:2=0.03\"}"));
    assertThat(run.toJson("[]")).as("the first tally: the mean so far").contains(
        "\"worker_activity\":{\"akka://d@h:1\":{\"micro_batches\":10,\"compute_ms\":2},"
            + "\"akka://d@h:2\":{\"micro_batches\":10,\"compute_ms\":3}}", "\"events\":[]");

    // Node 1 got slower: 10 more micro-batches in 0.05 s. Node 2 computed nothing since: it keeps its last time.
    run.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=20 akka://d@h:2=10\","
        + "\"compute_s\":\"akka://d@h:1=0.07 akka://d@h:2=0.03\"}"));
    assertThat(run.toJson("[]")).contains("\"akka://d@h:1\":{\"micro_batches\":20,\"compute_ms\":5}",
        "\"akka://d@h:2\":{\"micro_batches\":10,\"compute_ms\":3}");

    run.add(JsonLine.parse("{\"type\":\"formed\",\"shards\":\"0@akka://d@h:1\"}"));
    assertThat(run.toJson("[]")).as("a new generation").contains("\"worker_activity\":{}");
  }
}
