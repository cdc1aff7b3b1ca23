package dptrain.coordinator.ps;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.FloatChunk;
import java.util.List;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A shard of [10, 14) in pieces of 2, with plain SGD at lr 1, driven by probes. */
class ParameterShardTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private final TestProbe<WorkerProtocol.Command> worker = KIT.createTestProbe();
  private final TestProbe<CoordinatorProtocol.Command> coordinator = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private ActorRef<ShardProtocol.Command> startedShard() {
    var shard = KIT.spawn(ParameterShard.create(0, 10, 4, OptimizerSpec.of("sgd", 1, 0, 0, false, 0, 0.9, 0.999, 1e-8),
        coordinator.ref(), 2));
    shard.tell(new ShardProtocol.LoadParameters(FloatChunk.of(10, 1f, 2f)));
    shard.tell(new ShardProtocol.LoadParameters(FloatChunk.of(12, 3f, 4f)));
    shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
    assertThat(receiveVersion(0)).containsExactly(1f, 2f, 3f, 4f);
    return shard;
  }

  /** The four values of the given version, from the pieces sent to the worker. */
  private float[] receiveVersion(long version) {
    float[] values = new float[4];
    for (int i = 0; i < 2; i++) {
      var chunk = worker.expectMessageClass(WorkerProtocol.ParametersChunk.class);
      assertThat(chunk.version()).isEqualTo(version);
      place(chunk.chunk(), values);
    }
    return values;
  }

  /** Writes a piece of the shard's range [10, 14) into its place among the four values. */
  private static void place(FloatChunk piece, float[] values) {
    System.arraycopy(piece.toArray(), 0, values, (int) piece.offset() - 10, piece.length());
  }

  private ShardProtocol.GradientChunk gradient(long step, int microBatch, int count, long offset, float... values) {
    return new ShardProtocol.GradientChunk(step, microBatch, 2, count, count * 0.5, FloatChunk.of(offset, values), worker.ref());
  }

  private float[] parametersNow(ActorRef<ShardProtocol.Command> shard) {
    shard.tell(new ShardProtocol.GetParameters(coordinator.ref()));
    float[] values = new float[4];
    for (int i = 0; i < 2; i++) {
      place(coordinator.expectMessageClass(CoordinatorProtocol.ShardParametersChunk.class).chunk(), values);
    }
    return values;
  }

  @Test
  void aStepAppliesTheMeanOverAllSamplesOfAllMicroBatches() {
    var shard = startedShard();

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 12, 0f, 0f));
    shard.tell(gradient(0, 1, 3, 10, 2f, 0f));
    shard.tell(gradient(0, 1, 3, 12, 8f, -4f));

    // mean = sum / 4 samples; p -= 1 * mean
    assertThat(receiveVersion(1)).containsExactly(0f, 1f, 1f, 5f);
    var done = coordinator.expectMessageClass(CoordinatorProtocol.StepDone.class);
    assertThat(done.step()).isZero();
    assertThat(done.sampleCount()).isEqualTo(4);
    assertThat(done.lossSum()).isEqualTo(0.5 + 1.5);
  }

  @Test
  void aChunkThatArrivesTwiceCountsOnce() {
    var shard = startedShard();

    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 0, 1, 10, 2f, 4f));
    shard.tell(gradient(0, 1, 1, 10, 2f, 4f));

    var piece = worker.expectMessageClass(WorkerProtocol.ParametersChunk.class);
    assertThat(piece.chunk().toArray()).containsExactly(-1f, -2f);
  }

  @Test
  void chunksForAnotherStepOrOutsideThePiecesAreRefusedCountedAndNotApplied() {
    var shard = startedShard();

    LoggingTestKit.warn("is for step 5").expect(KIT.system(), () -> {
      shard.tell(gradient(5, 0, 1, 10, 100f, 100f));
      return null;
    });
    LoggingTestKit.warn("not one of this shard's pieces").expect(KIT.system(), () -> {
      shard.tell(gradient(0, 0, 1, 11, 100f, 100f));
      return null;
    });

    assertThat(parametersNow(shard)).containsExactly(1f, 2f, 3f, 4f);
    shard.tell(new ShardProtocol.GetParameters(coordinator.ref()));
    assertThat(coordinator.expectMessageClass(CoordinatorProtocol.ShardParametersChunk.class).refused()).isEqualTo(2);
  }

  @Test
  void aShardWithoutAllItsInitialValuesDoesNotStart() {
    var shard = KIT.spawn(ParameterShard.create(1, 0, 4, OptimizerSpec.of("sgd", 1, 0, 0, false, 0, 0.9, 0.999, 1e-8),
        coordinator.ref(), 2));
    shard.tell(new ShardProtocol.LoadParameters(FloatChunk.of(0, 1f, 2f)));

    LoggingTestKit.error("2 of 4 initial values loaded").expect(KIT.system(), () -> {
      shard.tell(new ShardProtocol.StartShard(List.of(worker.ref())));
      return null;
    });
    worker.expectNoMessage();
  }
}
