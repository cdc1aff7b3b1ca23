package dptrain.deploy.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.report.JsonLine;
import org.junit.jupiter.api.Test;

class TrainingMetricsTest {
  @Test
  void stepsEvaluationsAndRefusalsBecomePrometheusSeriesWithConventionalNames() {
    TrainingMetrics metrics = new TrainingMetrics("job-7");
    metrics.add(JsonLine.parse("{\"type\":\"step\",\"step\":0,\"epoch\":0,\"train_loss\":0.9,\"samples\":128,\"elapsed_s\":1.000,"
        + "\"workers\":2,\"gradient_bytes\":1000}"));
    metrics.add(JsonLine.parse("{\"type\":\"step\",\"step\":1,\"epoch\":0,\"train_loss\":0.8,\"samples\":128,\"elapsed_s\":1.003,"
        + "\"workers\":2,\"gradient_bytes\":1000,\"staleness\":3}"));
    metrics.add(JsonLine.parse("{\"type\":\"epoch\",\"epoch\":1,\"step\":2,\"test_loss\":0.7,\"test_accuracy\":0.75}"));
    metrics.add(JsonLine.parse("{\"type\":\"refused\",\"step\":1,\"micro_batch\":0}"));

    String text = metrics.scrape();

    assertThat(text).contains(
        "dptrain_samples_total{job=\"job-7\"} 256.0",
        "dptrain_gradient_bytes_total{job=\"job-7\"} 2000.0",
        "dptrain_refused_messages_total{job=\"job-7\"} 1.0",
        "dptrain_workers{job=\"job-7\"} 2.0",
        "dptrain_staleness_updates{job=\"job-7\"} 3.0",
        "dptrain_loss{job=\"job-7\",split=\"train\"} 0.8",
        "dptrain_loss{job=\"job-7\",split=\"test\"} 0.7",
        "dptrain_accuracy{job=\"job-7\",split=\"test\"} 0.75",
        "# TYPE dptrain_step_seconds histogram",
        "dptrain_step_seconds_bucket{job=\"job-7\",le=\"0.002\"} 0",
        "dptrain_step_seconds_bucket{job=\"job-7\",le=\"0.005\"} 1",
        "dptrain_step_seconds_count{job=\"job-7\"} 1");
  }

  @Test
  void eachWorkerNodesMicroBatchesAndComputeSecondsAreCountersLabelledByWorkerThatANewGenerationKeepsCounting() {
    TrainingMetrics metrics = new TrainingMetrics("j");
    metrics.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=12 akka://d@h:2=10\","
        + "\"compute_s\":\"akka://d@h:1=0.5 akka://d@h:2=0.25\"}"));
    metrics.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=20 akka://d@h:2=15\","
        + "\"compute_s\":\"akka://d@h:1=1.0 akka://d@h:2=0.5\",\"waited_on_s\":\"akka://d@h:1=0.75 akka://d@h:2=0.0\"}"));
    // After a roll-back the new generation counts from zero.
    metrics.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=4\","
        + "\"compute_s\":\"akka://d@h:1=0.25\"}"));

    assertThat(metrics.scrape()).contains("dptrain_micro_batches_total{job=\"j\",worker=\"akka://d@h:1\"} 24.0",
        "dptrain_micro_batches_total{job=\"j\",worker=\"akka://d@h:2\"} 15.0",
        "dptrain_worker_compute_seconds_total{job=\"j\",worker=\"akka://d@h:1\"} 1.25",
        "dptrain_worker_compute_seconds_total{job=\"j\",worker=\"akka://d@h:2\"} 0.5",
        "dptrain_worker_waited_on_seconds_total{job=\"j\",worker=\"akka://d@h:1\"} 0.75",
        "dptrain_worker_waited_on_seconds_total{job=\"j\",worker=\"akka://d@h:2\"} 0.0");
  }

  @Test
  void theMicroBatchesBackupStepsClosedWithoutAreCountedForTheirWorkerNode() {
    TrainingMetrics metrics = new TrainingMetrics("j");
    metrics.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=20 akka://d@h:2=2\","
        + "\"compute_s\":\"akka://d@h:1=0.5 akka://d@h:2=0.25\",\"dropped\":\"akka://d@h:1=1 akka://d@h:2=19\"}"));
    metrics.add(JsonLine.parse("{\"type\":\"worker_tally\",\"micro_batches\":\"akka://d@h:1=40 akka://d@h:2=3\","
        + "\"compute_s\":\"akka://d@h:1=1.0 akka://d@h:2=0.5\",\"dropped\":\"akka://d@h:1=2 akka://d@h:2=38\"}"));

    assertThat(metrics.scrape()).contains(
        "dptrain_worker_dropped_micro_batches_total{job=\"j\",worker=\"akka://d@h:1\"} 2.0",
        "dptrain_worker_dropped_micro_batches_total{job=\"j\",worker=\"akka://d@h:2\"} 38.0");
  }
}
