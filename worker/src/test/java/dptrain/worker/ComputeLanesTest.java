package dptrain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A node's compute lanes: the same bits for any lane count over reduction groups, the whole batch's sum otherwise. */
class ComputeLanesTest {
  private static final ModelSpec MODEL;
  private static final ExecutorService HELPERS = Executors.newFixedThreadPool(3);

  static {
    var grammar = ModelGrammar.parse("6-16-dropout:0.8-8:tanh-3");
    MODEL = new ModelSpec(grammar.widths(), "relu", "softmax", "ce", grammar.layers());
  }

  @AfterAll
  static void stop() {
    HELPERS.shutdownNow();
  }

  @Test
  void overReductionGroupsOneTwoAndFourLanesGiveTheSameBitsAsOneWorkerComputingThemInTurn() {
    Dataset data = data(40);
    ParameterViews params = params();
    int[] rows = IntStream.range(0, 40).map(i -> (i * 7) % 40).toArray();
    Compute compute = new Compute(3, 0, 1, rows, new int[] {10, 10, 10, 10, 0, 0, 0, 0}, 0.1);

    double[] one = sum(1, params, data, compute);
    for (int lanes : new int[] {2, 4}) {
      assertThat(sum(lanes, params, data, compute)).as(lanes + " lanes").containsExactly(one);
    }
  }

  @Test
  void withoutGroupsTheLanesSplitTheRowsAndTheirSumIsTheWholeMicroBatchsGradient() {
    Dataset data = data(33);
    ParameterViews params = params();
    int[] rows = IntStream.range(0, 33).toArray();
    Compute compute = new Compute(0, 0, 1, rows, 0.1);
    Mlp whole = new Mlp(MODEL, Precision.FLOAT64);
    ParameterViews expected = whole.allocate();
    whole.gradient(params, data, rows, expected, new DropoutMasks(1, 0));

    assertThat(ComputeLanes.partsOf(compute, 2)).hasNumberOfRows(2);
    assertThat(sum(2, params, data, compute)).containsExactly(expected.flat().toDoubleVector(), Offset.offset(1e-12));
    assertThat(sum(2, params, data, compute)).as("the same bits again").containsExactly(sum(2, params, data, compute));
  }

  private static double[] sum(int lanes, ParameterViews params, Dataset data, Compute compute) {
    var computeLanes = new ComputeLanes(lanes, () -> new Mlp(MODEL, Precision.FLOAT64), HELPERS);
    return computeLanes.compute(params, data, ComputeLanes.partsOf(compute, lanes), new DropoutMasks(1, compute.step()))
        .gradient().flat().toDoubleVector();
  }

  private static ParameterViews params() {
    Mlp model = new Mlp(MODEL, Precision.FLOAT64);
    ParameterViews params = model.allocate();
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < params.flat().length(); i++) {
      params.flat().putScalar(i, random.nextDouble(-0.6, 0.6));
    }
    return params;
  }

  private static Dataset data(int rows) {
    SplittableRandom random = new SplittableRandom(8);
    float[] x = new float[rows * 6];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-1, 1);
    }
    return Dataset.labelled(x, 6, IntStream.range(0, rows).map(i -> i % 3).toArray());
  }
}
