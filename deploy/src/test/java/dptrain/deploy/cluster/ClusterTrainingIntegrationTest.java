package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster on 127.0.0.1: a coordinator node and two worker nodes, each its own
 * ActorSystem talking through Artery with our protobuf serializer. With the shards on the
 * coordinator's node, every gradient and parameter crosses a node boundary.
 */
class ClusterTrainingIntegrationTest {
  @TempDir
  Path runDir;

  private Object[] xor() {
    return new Object[] {"data", "synthetic:xor", "model", "2-8-2", "activation", "tanh", "lr", 0.05,
        "batch", "all", "steps", 300, "workers", 2, "ps-shards", 2, "ps-placement", "coordinator"};
  }

  @Test
  void twoWorkerNodesTrainXorToFullAccuracy() throws Exception {
    var finished = TestJobs.train(TestJobs.settings(runDir, xor()), false);

    assertThat(finished.testAccuracy()).isEqualTo(1.0);
    assertThat(finished.steps()).isEqualTo(300);
    assertThat(finished.refusedChunks()).isZero();
    assertThat(Files.readAllLines(runDir.resolve("metrics.jsonl")))
        .anyMatch(line -> line.contains("\"type\":\"step\""))
        .anyMatch(line -> line.contains("\"type\":\"epoch\"") && line.contains("\"test_accuracy\":1.00000"));
  }

  @Test
  void workerNodesInTheirOwnJvmsTrainXorToFullAccuracy() {
    var finished = TestJobs.train(TestJobs.settings(runDir, xor()), true);

    assertThat(finished.testAccuracy()).isEqualTo(1.0);
    assertThat(runDir.resolve("worker-0.log")).exists();
  }
}
