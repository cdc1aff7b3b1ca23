package dptrain.worker;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.BatchNormPhase;
import dptrain.protocol.job.ConsistencyMode;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelGrammar;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.Dataset;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A worker that holds two micro-batches of one step under synchronised batch norm (a re-sent
 * micro-batch lands beside its own) computes them side by side: both report their sums before
 * either has its totals, and together they give the whole batch's gradient.
 */
class SyncedBatchNormWorkerTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final ModelSpec MODEL;

  static {
    var grammar = ModelGrammar.parse("2-8-bn-6:tanh-bn-2");
    MODEL = new ModelSpec(grammar.widths(), "relu", "softmax", "ce", grammar.layers()).withSyncBatchNorm(true);
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void twoMicroBatchesOfAStepOnOneWorkerMeetWithoutBlockingAndSumToTheWholeBatchsGradient() {
    TestProbe<CoordinatorProtocol.Command> coordinator = KIT.createTestProbe();
    TestProbe<ShardProtocol.Command> shard = KIT.createTestProbe();
    Mlp reference = new Mlp(MODEL, Precision.FLOAT64);
    int size = (int) reference.layout().size();
    DataSpec data = new DataSpec("synthetic:spirals", 1, 11);
    ActorRef<WorkerProtocol.Command> worker = KIT.spawn(Worker.create());
    worker.tell(new WorkerProtocol.Configure("job", MODEL, data, List.of(new ShardAddress(shard.ref(), 0, size)),
        coordinator.ref(), 100, 64, Precision.FLOAT64, 0, ConsistencyMode.SYNC, "none"));
    coordinator.expectMessageClass(CoordinatorProtocol.WorkerReady.class);

    double[] values = new SplittableRandom(5).doubles(size, -0.7, 0.7).toArray();
    worker.tell(new WorkerProtocol.ParametersChunk(0, TensorChunk.of(0, FlatArray.of(Precision.FLOAT64, values)), 0));
    int[] first = IntStream.range(0, 9).toArray();
    int[] second = IntStream.range(9, 20).toArray();
    worker.tell(new WorkerProtocol.Compute(0, 0, 2, first, 0.1));
    worker.tell(new WorkerProtocol.Compute(0, 1, 2, second, 0.1));
    // The next step's work, handed out early, waits behind this step's passes.
    worker.tell(new WorkerProtocol.Compute(1, 0, 2, first, 0.1));

    // Forward at both batch-norm layers, then backward at both, each meeting answered only when
    // both micro-batches are in: a worker that waited on the first would never send the second.
    int[] layers = {0, 1, 1, 0};
    for (int m = 0; m < layers.length; m++) {
      var a = coordinator.expectMessageClass(CoordinatorProtocol.BatchMoments.class);
      var b = coordinator.expectMessageClass(CoordinatorProtocol.BatchMoments.class);
      assertThat(List.of(a.microBatch(), b.microBatch())).containsExactlyInAnyOrder(0, 1);
      assertThat(a.layer()).isEqualTo(layers[m]);
      assertThat(b.layer()).isEqualTo(layers[m]);
      assertThat(a.phase()).isEqualTo(m < 2 ? BatchNormPhase.FORWARD : BatchNormPhase.BACKWARD);
      double[] total = a.sums().clone();
      for (int i = 0; i < total.length; i++) {
        total[i] += b.sums()[i];
      }
      var answer = new WorkerProtocol.MomentsTotal(0, a.layer(), a.phase(), total);
      a.replyTo().tell(answer);
      b.replyTo().tell(answer);
    }

    double[] pushed = new double[size];
    List<Integer> microBatches = new ArrayList<>();
    int chunks = (size + 63) / 64;
    for (int c = 0; c < 2 * chunks; c++) {
      var chunk = shard.expectMessageClass(ShardProtocol.GradientChunk.class);
      microBatches.add(chunk.microBatch());
      double[] part = chunk.chunk().toDoubles();
      for (int i = 0; i < part.length; i++) {
        pushed[(int) chunk.chunk().offset() + i] += part[i];
      }
    }
    assertThat(microBatches).containsOnly(0, 1);
    coordinator.expectNoMessage();
    shard.expectNoMessage();

    Dataset train = DataSource.load(data).train();
    ParameterViews whole = reference.allocate();
    reference.gradient(reference.parameters(FlatArray.of(Precision.FLOAT64, values)), train,
        IntStream.range(0, 20).toArray(), whole, null);
    assertThat(pushed).containsExactly(whole.flat().toDoubleVector(), Offset.offset(1e-10));
  }
}
