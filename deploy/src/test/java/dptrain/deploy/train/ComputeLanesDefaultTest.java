package dptrain.deploy.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --workers-per-node auto}: lanes where a node's share of the batch is large enough to split, one lane otherwise. */
class ComputeLanesDefaultTest {
  private static int lanes(Map<String, Object> keys) {
    return TrainConfig.fromKeys(keys).localCluster().workersPerNode();
  }

  private static final int CORES_UP_TO_TWO = Math.min(2, Runtime.getRuntime().availableProcessors());

  @Test
  void theDefaultJobsBatchOf128OnOneNodeGetsOneLanePerCoreAtMostTwo() {
    assertThat(lanes(Map.of())).isEqualTo(CORES_UP_TO_TWO);
  }

  @Test
  void aSmallShareOfTheBatchOrAFullBatchJobGetsOneLane() {
    assertThat(lanes(Map.of("batch", 32))).as("32 rows: two lanes would get 16 each").isEqualTo(1);
    assertThat(lanes(Map.of("batch", 128, "workers", 4))).as("32 rows per node").isEqualTo(1);
    assertThat(lanes(Map.of("batch", "all"))).isEqualTo(1);
  }

  @Test
  void aNumberIsTakenAsGiven() {
    assertThat(lanes(Map.of("workers-per-node", 3))).isEqualTo(3);
  }
}
