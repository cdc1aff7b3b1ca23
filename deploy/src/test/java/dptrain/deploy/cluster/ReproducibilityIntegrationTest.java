package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle for distributed training is the same computation with one worker: the global
 * batch is the same however it is split, so only the order of float additions differs.
 */
class ReproducibilityIntegrationTest {
  @TempDir
  Path dir;

  private double[] train(String name, int workers, String placement) {
    return train(name, workers, placement, 0);
  }

  private double[] train(String name, int workers, String placement, int reductionGroups) {
    return TestJobs.train(TestJobs.settings(dir.resolve(name), "data", "synthetic:spirals", "model", "2-16-16-2",
        "batch", 100, "steps", 20, "lr", 0.01, "seed", 3, "workers", workers, "ps-placement", placement,
        "reduction-groups", reductionGroups), false).parameters().toDoubles();
  }

  @Test
  void withCanonicalReductionGroupsOneTwoAndFourWorkersGiveBitIdenticalParameters() {
    double[] one = train("g1", 1, "workers", 4);

    assertThat(train("g2", 2, "workers", 4)).containsExactly(one);
    assertThat(train("g4", 4, "coordinator", 4)).containsExactly(one);
  }

  @Test
  void labelSmoothingGivesTheSameBitsOnOneTwoAndFourWorkersAndOtherBitsThanPlainTargets() {
    Object[] job = {"data", "synthetic:spirals", "model", "2-16-16-2", "batch", 100, "steps", 20, "lr", 0.01, "seed", 3,
        "ps-placement", "workers", "reduction-groups", 4, "label-smoothing", 0.2};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("s1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    for (int workers : new int[] {2, 4}) {
      assertThat(TestJobs.train(TestJobs.settings(dir.resolve("s" + workers), append(job, "workers", workers)), false)
          .parameters().toDoubles()).as("%d workers", workers).containsExactly(one);
    }
    Object[] plain = append(java.util.Arrays.copyOf(job, job.length - 2), "workers", 1);
    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("s0"), plain), false).parameters().toDoubles())
        .as("the smoothing reaches the workers' gradients").isNotEqualTo(one);
  }

  @Test
  void targetNoiseGivesTheSameBitsOnOneAndTwoWorkersAndOtherBitsThanPlainTargets() {
    // The linear set's 30 rows: each step's noise is drawn per row, so the split does not matter.
    Object[] job = {"data", "synthetic:linear", "model", "1-8:tanh-1", "loss", "mse", "batch", 10, "steps", 30, "lr", 0.01,
        "seed", 3, "ps-placement", "workers", "reduction-groups", 2, "target-noise", 0.5};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("n1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("n2"), append(job, "workers", 2)), false).parameters()
        .toDoubles()).containsExactly(one);
    Object[] plain = append(java.util.Arrays.copyOf(job, job.length - 2), "workers", 1);
    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("n0"), plain), false).parameters().toDoubles())
        .as("the noise reaches the workers' gradients").isNotEqualTo(one);
  }

  @Test
  void aTwoHeadMultitaskModelGivesTheSameBitsOnOneAndThreeWorkers() {
    Object[] job = {"data", "synthetic:spirals-radius", "model", "2-16:tanh-16:tanh-3", "heads", "2:ce,1:mse:0.5",
        "batch", 99, "steps", 20, "lr", 0.01, "seed", 3, "ps-placement", "workers", "reduction-groups", 3};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("m1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("m3"), append(job, "workers", 3)), false).parameters()
        .toDoubles()).containsExactly(one);
  }

  @Test
  void aTiedAutoencoderGivesTheSameBitsOnOneAndThreeWorkersAndHoldsOneCopyOfItsWeight() {
    Object[] job = {"data", "autoencode:synthetic:spirals", "model", "2-8:tanh-tied:1-2", "loss", "mse", "batch", 99,
        "steps", 20, "lr", 0.01, "seed", 3, "ps-placement", "workers", "reduction-groups", 3};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("t1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    assertThat(one).as("one 2x8 weight and two biases").hasSize(2 * 8 + 8 + 2);
    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("t3"), append(job, "workers", 3)), false).parameters()
        .toDoubles()).containsExactly(one);
  }

  @Test
  void sampleWeightsGiveTheSameBitsOnOneAndThreeWorkersAndOtherBitsThanNone() throws Exception {
    java.nio.file.Path weights = dir.resolve("weights.npy");
    dptrain.protocol.tensor.NpyFile.write(weights, dptrain.protocol.tensor.FlatArray.of(dptrain.protocol.tensor.Precision.FLOAT64,
        java.util.stream.IntStream.range(0, 1000).mapToDouble(i -> i % 3).toArray()));
    Object[] job = {"data", "synthetic:spirals", "model", "2-16:tanh-2", "batch", 99, "steps", 20, "lr", 0.01, "seed", 3,
        "ps-placement", "workers", "reduction-groups", 3, "sample-weights", weights.toString()};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("w1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("w3"), append(job, "workers", 3)), false).parameters()
        .toDoubles()).containsExactly(one);
    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("w0"), append(job, "workers", 1, "sample-weights", "")), false)
        .parameters().toDoubles()).isNotEqualTo(one);
  }

  @Test
  void aTiedModelPairGivesTheSameBitsOnOneAndThreeWorkersAndATieMovesIt() {
    Object[] job = {"data", "pair:synthetic:spirals|synthetic:xor", "model", "2-8:tanh-2", "batch", 99, "steps", 20, "lr", 0.01,
        "seed", 3, "ps-shards", 1, "reduction-groups", 3, "tie", 0.1};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("p1"), append(job, "workers", 1)), false).parameters()
        .toDoubles();

    assertThat(TestJobs.train(TestJobs.settings(dir.resolve("p3"), append(job, "workers", 3)), false).parameters()
        .toDoubles()).containsExactly(one);
    double[] untied = TestJobs.train(TestJobs.settings(dir.resolve("p0"), append(job, "workers", 1, "tie", 0)), false)
        .parameters().toDoubles();
    assertThat(untied).hasSameSizeAs(one).isNotEqualTo(one);
  }

  @Test
  void withCanonicalReductionGroupsComputeLanesOnANodeGiveTheBitsOfOneWorkerAlone() {
    double[] one = train("l1", 1, "workers", 4);
    Object[] job = {"data", "synthetic:spirals", "model", "2-16-16-2", "batch", 100, "steps", 20, "lr", 0.01, "seed", 3,
        "ps-placement", "workers", "reduction-groups", 4};

    double[] twoLanes = TestJobs.train(TestJobs.settings(dir.resolve("l2"), append(job, "workers", 1)),
        new LocalCluster(false, 2)).parameters().toDoubles();
    double[] twoByTwo = TestJobs.train(TestJobs.settings(dir.resolve("l4"), append(job, "workers", 2)),
        new LocalCluster(false, 2)).parameters().toDoubles();

    assertThat(twoLanes).containsExactly(one);
    assertThat(twoByTwo).containsExactly(one);
  }

  @Test
  void dropoutMasksDoNotDependOnTheWorkerSoOneAndTwoWorkersAgreeBitForBit() {
    Object[] job = {"data", "synthetic:spirals", "model", "2-dropout:0.9-16:tanh-dropout:0.5-16-2", "batch", 100,
        "steps", 20, "lr", 0.01, "seed", 3, "reduction-groups", 2};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("d1"), append(job, "workers", 1)), false).parameters().toDoubles();
    double[] two = TestJobs.train(TestJobs.settings(dir.resolve("d2"), append(job, "workers", 2)), false).parameters().toDoubles();
    double[] plain = TestJobs.train(TestJobs.settings(dir.resolve("d0"), append(job, "workers", 1, "model", "2-16:tanh-16-2")),
        false).parameters().toDoubles();

    assertThat(two).containsExactly(one);
    assertThat(plain).isNotEqualTo(one);
  }

  @Test
  void batchNormPerGroupDropConnectAndNoiseDoNotDependOnTheWorkerCount() {
    Object[] job = {"data", "synthetic:spirals", "model", "2-noise:0.1-16:prelu-bn-dropconnect:0.8-16:maxout:2-bn-2",
        "batch", 100, "steps", 20, "lr", 0.01, "seed", 3, "reduction-groups", 2};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("b1"), append(job, "workers", 1)), false).parameters().toDoubles();
    double[] two = TestJobs.train(TestJobs.settings(dir.resolve("b2"), append(job, "workers", 2)), false).parameters().toDoubles();

    assertThat(two).containsExactly(one);
  }

  @Test
  void synchronisedBatchNormOnTwoWorkersTrainsAsBatchNormOnOneWorkerWithTheWholeBatch() {
    Object[] job = {"data", "synthetic:spirals", "model", "2-16-bn-16:tanh-bn-2", "batch", 100, "steps", 20, "lr", 0.01,
        "seed", 3, "dtype", "float64", "ps-shards", 1};
    double[] one = TestJobs.train(TestJobs.settings(dir.resolve("s1"), append(job, "workers", 1)), false).parameters().toDoubles();
    double[] synced = TestJobs.train(TestJobs.settings(dir.resolve("s2"), append(job, "workers", 2, "sync-batch-norm", true)),
        false).parameters().toDoubles();
    double[] perWorker = TestJobs.train(TestJobs.settings(dir.resolve("p2"), append(job, "workers", 2)), false)
        .parameters().toDoubles();

    assertThat(synced).containsExactly(one, org.assertj.core.data.Offset.offset(1e-9));
    double apart = 0;
    for (int i = 0; i < one.length; i++) {
      apart = Math.max(apart, Math.abs(perWorker[i] - one[i]));
    }
    assertThat(apart).as("per-micro-batch statistics are another computation").isGreaterThan(1e-4);
  }

  private static Object[] append(Object[] base, Object... more) {
    return java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(more)).toArray();
  }

  @Test
  void theSameSeedGivesBitwiseIdenticalParameters() {
    assertThat(train("a", 2, "workers")).containsExactly(train("b", 2, "workers"));
  }

  @Test
  void whereTheShardsRunDoesNotChangeTheResult() {
    assertThat(train("workers", 2, "workers")).containsExactly(train("coordinator", 2, "coordinator"));
  }

  @Test
  void oneTwoAndFourWorkersAgreeToOnePartInAHundredThousand() {
    double[] one = train("one", 1, "workers");
    for (int workers : new int[] {2, 4}) {
      double[] other = train("w" + workers, workers, "workers");
      double difference = 0;
      double norm = 0;
      for (int i = 0; i < one.length; i++) {
        difference += (one[i] - other[i]) * (double) (one[i] - other[i]);
        norm += one[i] * (double) one[i];
      }
      assertThat(Math.sqrt(difference / norm)).as("%d workers against 1", workers).isLessThan(1e-5);
    }
  }
}
