package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.TestJobs;
import dptrain.protocol.tensor.NpyFile;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our optimizers through the whole trainer against torch.optim itself: trajectories that
 * {@code tools/golden/torch_optim_trajectories.py} recorded with PyTorch (4-5-3 tanh MLP, cross-entropy,
 * full batch, 100 steps, float32) are replayed on real clusters of different shapes.
 */
class TorchGoldenIntegrationTest {
  @TempDir
  Path dir;

  static Stream<Arguments> settings() {
    return Stream.of(
        Arguments.of("sgd", 1, 1, "workers", new Object[] {"optimizer", "sgd", "lr", 0.1}),
        Arguments.of("sgd-momentum-dampening-wd", 3, 2, "coordinator",
            new Object[] {"optimizer", "sgd", "lr", 0.05, "momentum", 0.9, "dampening", 0.3, "weight-decay", 0.01}),
        Arguments.of("sgd-nesterov", 3, 1, "workers", new Object[] {"optimizer", "sgd", "lr", 0.05, "momentum", 0.8, "nesterov", true}),
        Arguments.of("adam", 1, 2, "workers", new Object[] {"optimizer", "adam", "lr", 0.01}),
        Arguments.of("adam-wd-betas", 3, 2, "workers",
            new Object[] {"optimizer", "adam", "lr", 0.003, "betas", "0.5,0.9", "eps", 0.001, "weight-decay", 0.1}));
  }

  private static Path golden(String name) throws Exception {
    return Path.of(TorchGoldenIntegrationTest.class.getResource("/golden/torch/" + name).toURI());
  }

  @ParameterizedTest(name = "{0} on {1} worker(s), {2} shard(s) on the {3} node(s)")
  @MethodSource("settings")
  void oneHundredStepsMatchTorchOptim(String name, int workers, int shards, String placement, Object[] optimizer)
      throws Exception {
    Object[] job = {"data", "csv:" + golden("data.csv"), "model", "4-5-3", "activation", "tanh", "loss", "ce",
        "batch", "all", "shuffle", false, "steps", 100, "init-params", golden("init.npy").toString(),
        "workers", workers, "ps-shards", shards, "ps-placement", placement};
    Object[] flags = Stream.concat(Stream.of(job), Stream.of(optimizer)).toArray();

    float[] ours = TestJobs.train(TestJobs.settings(dir, flags), false).parameters();
    float[] torch = NpyFile.readFloats(golden(name + ".npy"));

    double difference = 0;
    double norm = 0;
    for (int i = 0; i < torch.length; i++) {
      difference += (ours[i] - torch[i]) * (double) (ours[i] - torch[i]);
      norm += torch[i] * (double) torch[i];
    }
    assertThat(Math.sqrt(difference / norm)).as("relative L2 distance to torch.optim").isLessThan(1e-4);
  }
}
