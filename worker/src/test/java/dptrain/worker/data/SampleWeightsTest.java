package dptrain.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.NpyFile;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleWeightsTest {
  @TempDir
  Path dir;

  @Test
  void aRowWeightedTwoTrainsAsThatRowTwice() {
    Dataset spirals = SyntheticData.spirals(6, new java.util.SplittableRandom(1));
    Mlp mlp = new Mlp(new ModelSpec(List.of(2, 5, 2), "tanh", "softmax", "ce"), Precision.FLOAT64);
    ParameterViews params = mlp.allocate();
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, Math.sin(i + 1.0));
    }
    Dataset weighted = spirals.withRowWeights(new double[] {2, 1, 1, 1, 0, 1});
    ParameterViews g = mlp.allocate();
    double loss = mlp.gradient(params, weighted, new int[] {0, 1, 2, 3, 4, 5}, g);

    ParameterViews twice = mlp.allocate();
    double twiceLoss = mlp.gradient(params, spirals, new int[] {0, 0, 1, 2, 3, 5}, twice);
    assertThat(loss).isCloseTo(twiceLoss, within(1e-12));
    assertThat(g.flat().toDoubleVector()).containsExactly(twice.flat().toDoubleVector(), within(1e-12));
    assertThat(mlp.evaluate(params, weighted, new int[] {4}).lossSum()).as("evaluation scores rows unweighted")
        .isCloseTo(mlp.evaluate(params, spirals, new int[] {4}).lossSum(), within(0.0));
  }

  @Test
  void theFileIsCheckedAndScaledToAMeanOfOne() throws Exception {
    Path file = dir.resolve("w.npy");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT64, new double[] {1, 3}));
    assertThat(SampleWeights.read(file, 2)).containsExactly(0.5, 1.5);

    assertThatThrownBy(() -> SampleWeights.read(file, 3)).hasMessageContaining("holds 2 weights; the job trains on 3 rows");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT64, new double[] {1, -1}));
    assertThatThrownBy(() -> SampleWeights.read(file, 2)).hasMessageContaining("weight 1 is -1.0 (each must be finite and >= 0)");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT64, new double[] {0, 0}));
    assertThatThrownBy(() -> SampleWeights.read(file, 2)).hasMessageContaining("every weight is 0");
    assertThatThrownBy(() -> SampleWeights.read(dir.resolve("none.npy"), 2)).hasMessageContaining("does not exist");
  }

  @Test
  void theTrainingRowsAreWeightedAndTheTestRowsAreNot() throws Exception {
    Path file = dir.resolve("xor.npy");
    NpyFile.write(file, FlatArray.of(Precision.FLOAT64, new double[] {1, 1, 1, 5}));
    var data = DataSource.load(new DataSpec("synthetic:xor", 1, 3, "none", 0, false, 0, "none", "auto", file.toString()));

    assertThat(data.train().rowWeight(3)).isEqualTo(2.5);
    assertThat(data.test().hasRowWeights()).isFalse();
  }
}
