package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dptrain.deploy.TestJobs;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.data.DataSource;
import dptrain.worker.model.Mlp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parameter tying on the cluster: two networks in one job, pulled together at the shard. */
class ParameterTyingIntegrationTest {
  @TempDir
  Path dir;

  @Test
  void aStepIsEachNetworksMeanGradientPlusTwoLambdaTimesTheirDifference() throws Exception {
    Path a = Files.writeString(dir.resolve("a.csv"), "0.5,1,0\n-1,0.25,1\n2,-0.5,1\n");
    Path b = Files.writeString(dir.resolve("b.csv"), "1,1,1\n-0.5,2,0\n");
    String source = "pair:csv:" + a + "|csv:" + b;
    ModelSpec pair = new ModelSpec(List.of(2, 2), "relu", "softmax", "ce").withCopies(2);
    double[] init = {0.1, -0.2, 0.3, 0.4, 0.05, -0.05, -0.3, 0.2, 0.1, 0.6, 0.0, 0.1};
    Path initFile = dir.resolve("init.npy");
    NpyFile.write(initFile, FlatArray.of(Precision.FLOAT64, init));
    double lambda = 0.25;

    var finished = TestJobs.train(TestJobs.settings(dir.resolve("tie"), "data", source, "model", "2-2", "batch", "all",
        "steps", 1, "optimizer", "sgd", "lr", 1.0, "dtype", "float64", "workers", 2, "ps-shards", 1, "tie", lambda,
        "init-params", initFile.toString()), false);

    Dataset rows = DataSource.load(new dptrain.protocol.job.DataSpec(source, 1, 0)).train();
    Mlp mlp = new Mlp(pair, Precision.FLOAT64);
    var gradient = mlp.allocate();
    mlp.gradient(mlp.parameters(FlatArray.of(Precision.FLOAT64, init)), rows, IntStream.range(0, 5).toArray(), gradient);
    double[] g = gradient.flat().toDoubleVector();
    double[] expected = new double[init.length];
    for (int i = 0; i < init.length; i++) {
      double mean = g[i] / 5;
      int within = i % 6;
      // The weights (4 of each network's 6 values) are tied; the biases are not.
      double pull = within < 4 ? 2 * lambda * (init[i] - init[i < 6 ? i + 6 : i - 6]) : 0;
      expected[i] = init[i] - (mean + pull);
    }
    assertThat(finished.parameters().toDoubles()).containsExactly(expected, within(1e-12));
  }
}
