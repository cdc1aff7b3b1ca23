package dptrain.protocol.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.typesafe.config.ConfigFactory;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.LayerSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import java.util.Map;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WireSerializerTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString("""
      akka.actor.provider = cluster
      akka.remote.artery.canonical.port = 0
      akka.remote.artery.canonical.hostname = 127.0.0.1
      """));
  private static final Serialization SERIALIZATION = SerializationExtension.get(KIT.system().classicSystem());
  private final TestProbe<WorkerProtocol.Command> worker = KIT.createTestProbe();
  private final TestProbe<ShardProtocol.Command> shard = KIT.createTestProbe();
  private final TestProbe<CoordinatorProtocol.Command> coordinator = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message) throws NotSerializableException {
    var serializer = SERIALIZATION.findSerializerFor(message);
    assertThat(serializer).isInstanceOf(WireSerializer.class);
    byte[] bytes = serializer.toBinary(message);
    return (T) SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void everyWireMessageSurvivesTheRoundTrip() throws Exception {
    TensorChunk chunk = TensorChunk.of(4, 1f, -2f);
    var configure = new WorkerProtocol.Configure("job", new ModelSpec(List.of(2, 3, 1), "tanh", "sigmoid", "bce",
        List.of(new LayerSpec("prelu", 0.8, 0.1, 0.2, 0.5, 0.1), LayerSpec.PLAIN)),
        new DataSpec("synthetic:xor", 1, 7), List.of(new ShardAddress(shard.ref(), 0, 13)), coordinator.ref(), 100, 64,
        Precision.FLOAT64);
    var hostShard = new ShardHostProtocol.HostShard("job-g2", 1, 5, 8,
        OptimizerSpec.of("sgd", Map.of("lr", 0.1, "momentum", 0.9, "nesterov", 1.0, "weight-decay", 0.01)), 64,
        coordinator.ref(), coordinator.ref(), Precision.FLOAT64,
        new GradientRules(List.of(new GradientRules.Penalty(5, 6, 0.1, 0.2, 0.3)), 1.5, 2.5, 0.01, 0.55, 9,
            List.of(new GradientRules.Statistic(6, 2, 0.1)), List.of(new GradientRules.Range(5, 1)),
            List.of(new GradientRules.Tie(0, 4, 2, 0.5))), 2, dptrain.protocol.job.ConsistencyMode.SSP);
    TensorChunk wide = TensorChunk.of(2, FlatArray.of(Precision.FLOAT64, new double[] {Math.PI, -1e-300}));
    var smoothed = new WorkerProtocol.Configure("job-ls", new ModelSpec(List.of(2, 3, 2), "tanh", "softmax", "ce", List.of(),
        false, 0.1), configure.data(), configure.shards(), coordinator.ref(), 100, 64, Precision.FLOAT32);
    var tied = new WorkerProtocol.Configure("job-tied", new ModelSpec(List.of(4, 2, 4), "tanh", "identity", "mse",
        List.of(LayerSpec.PLAIN, LayerSpec.PLAIN.tiedTo(0))).withCopies(2),
        new DataSpec("csv:a.csv", 2, 7, "zscore", 0.1, false, 0, "none", "yes", "/runs/boost/member-2/sample-weights.npy"),
        configure.shards(), coordinator.ref(), 100, 64, Precision.FLOAT32);
    var multitask = new WorkerProtocol.Configure("job-mt", new ModelSpec(List.of(2, 3, 3), "tanh", "softmax", "ce").withHeads(
        List.of(new dptrain.protocol.job.Head(2, "ce", 1), new dptrain.protocol.job.Head(1, "mse", 0.25))),
        configure.data(), configure.shards(), coordinator.ref(), 100, 64, Precision.FLOAT32);
    List<Object> messages = List.of(configure, smoothed, multitask, tied, hostShard,
        new WorkerProtocol.ParametersChunk(3, chunk),
        new WorkerProtocol.Evaluate(3, 10, 20, coordinator.ref()),
        WorkerProtocol.StopWork.INSTANCE,
        new ShardProtocol.GradientChunk(2, 1, 4, 32, 1.5, chunk, worker.ref(), 0.125, false),
        new WorkerProtocol.ParametersChunk(4, wide),
        new ShardProtocol.ScaleGradient(7, 0.25),
        new CoordinatorProtocol.GradientSquares(1, 7, 3.5),
        new CoordinatorProtocol.GradientPiece(1, 7, wide),
        new ShardProtocol.StartShard(List.of(worker.ref())),
        new ShardProtocol.StartShard(List.of(worker.ref()), 120),
        new ShardProtocol.LoadParameters(chunk),
        new ShardProtocol.LoadParameters(chunk, 2, new double[] {7, 0.5}),
        new ShardProtocol.GetParameters(coordinator.ref()),
        new ShardProtocol.GetParameters(coordinator.ref(), true),
        new ShardProtocol.SetWorkers(List.of(worker.ref())),
        new WorkerProtocol.ParametersChunk(3, chunk, 2),
        new CoordinatorProtocol.StepDone(1, 2, 128, 40.25, false, 3),
        new CoordinatorProtocol.ChunkRefused(1, 9, 2, worker.ref(), "holds NaN", 1),
        new CoordinatorProtocol.ShardParametersChunk(1, 3, chunk, 2, 1, new double[] {4}),
        new WorkerProtocol.Configure("job-g1", configure.model(), configure.data(), configure.shards(), coordinator.ref(), 100,
            64, Precision.FLOAT32, 1, dptrain.protocol.job.ConsistencyMode.BACKUP, "topk:0.01"),
        new ShardProtocol.CloseStep(4, 3, new int[] {0, 2}),
        new ShardProtocol.ReportStep(41),
        new ShardProtocol.GradientChunk(2, 0, 1, 32, 1.5, chunk, worker.ref(), 0.125, true, 17),
        new CoordinatorProtocol.StepDone(1, 2, 32, 4.5, false, 1, 3, 4096),
        new CoordinatorProtocol.StepDone(1, 2, 32, 4.5, false, 1, 0, 4096, new dptrain.protocol.StepTimes(5, 6, 7, 8),
            List.of(1_500_000L, 0L, 2_250_000L), 0x9E3779B97F4A7C15L, List.of(0L, 0L, 41_000_000L)),
        new ShardProtocol.GradientChunk(2, 0, 1, 32, 1.5, chunk, worker.ref(), 0.125, true, 17, null, 1_000, 200, -42L),
        new ShardProtocol.GradientChunk(2, 0, 1, 32, 1.5, null, worker.ref(), 0.125, true, 17,
            new dptrain.protocol.tensor.EncodedChunk(8, 100, dptrain.protocol.tensor.EncodedChunk.Encoding.SPARSE,
                com.google.protobuf.ByteString.copyFrom(new byte[] {0, 0, -128, 63}),
                com.google.protobuf.ByteString.copyFrom(new byte[] {7, 0, 0, 0}), 0)),
        new ShardProtocol.SetWorkers(List.of(worker.ref()), true),
        new CoordinatorProtocol.MicroBatchPushed(4, 1, worker.ref()),
        new CoordinatorProtocol.WorkerReady(worker.ref(), 3, 60000, 10000),
        new CoordinatorProtocol.Evaluated(worker.ref(), 3, 12.5, 9, 10),
        new CoordinatorProtocol.WorkerFailed(worker.ref(), "no data"),
        new CoordinatorProtocol.StepDone(1, 2, 128, 40.25, true),
        new CoordinatorProtocol.ShardHosted("job", 1, shard.ref()),
        new CoordinatorProtocol.ShardParametersChunk(1, 3, chunk, 2));

    for (Object message : messages) {
      // Recursive: some records hold arrays, whose equals is identity.
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).usingRecursiveComparison()
          .withEqualsForType(Object::equals, akka.actor.typed.ActorRef.class).isEqualTo(message);
    }
  }

  @Test
  void kMeansMovesAndReportsKeepTheirArrays() throws Exception {
    var move = roundTrip(new WorkerProtocol.KMeans(4, dptrain.protocol.job.KMeansMove.PICK, 10, 20, new double[] {0.5, -1, 2, 3}, 2, 7.25, coordinator.ref()));
    var report = roundTrip(new CoordinatorProtocol.KMeansReport(worker.ref(), 4, 1.5, new double[] {1, 2},
        new double[] {3, 4}, new long[] {5, 6}, new double[] {7, 8}));

    assertThat(move).usingRecursiveComparison().isEqualTo(
        new WorkerProtocol.KMeans(4, dptrain.protocol.job.KMeansMove.PICK, 10, 20, new double[] {0.5, -1, 2, 3}, 2, 7.25, coordinator.ref()));
    assertThat(report.picked()).containsExactly(1, 2);
    assertThat(report.sums()).containsExactly(3, 4);
    assertThat(report.counts()).containsExactly(5, 6);
    assertThat(report.squares()).containsExactly(7, 8);
    assertThat(report.d2Sum()).isEqualTo(1.5);
    assertThat(roundTrip(new WorkerProtocol.Evaluate(3, 1, 2, coordinator.ref(), true)).validation()).isTrue();
    assertThat(roundTrip(new CoordinatorProtocol.WorkerReady(worker.ref(), 2, 5, 6, 7)).validationSize()).isEqualTo(7);
  }

  @Test
  void computeKeepsItsIndices() throws Exception {
    var back = roundTrip(new WorkerProtocol.Compute(5, 1, 2, new int[] {3, 1, 4}, 0.5));

    assertThat(back.step()).isEqualTo(5);
    assertThat(back.microBatch()).isEqualTo(1);
    assertThat(back.microBatches()).isEqualTo(2);
    assertThat(back.indices()).containsExactly(3, 1, 4);
    assertThat(back.lr()).isEqualTo(0.5);
  }

  @Test
  void computeKeepsItsReductionGroupsAndRefusesGroupsThatDoNotCoverTheIndices() throws Exception {
    var back = roundTrip(new WorkerProtocol.Compute(5, 1, 2, new int[] {3, 1, 4}, new int[] {2, 1}, 0.5));
    var serializer = new WireSerializer((akka.actor.ExtendedActorSystem) KIT.system().classicSystem());
    byte[] lying = dptrain.protocol.wire.Envelope.newBuilder().setFormatVersion(1)
        .setCompute(dptrain.protocol.wire.Compute.newBuilder().setStep(1).addIndices(1).addIndices(2).addGroupSizes(3))
        .build().toByteArray();

    assertThat(back.groupSizes()).containsExactly(2, 1);
    assertThatThrownBy(() -> serializer.fromBinary(lying, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("groups of 3 rows for 2 indices");
  }

  @Test
  void bytesWrittenByFormatVersionOneStayReadable() throws Exception {
    var serializer = new WireSerializer((akka.actor.ExtendedActorSystem) KIT.system().classicSystem());
    try (InputStream chunk = getClass().getResourceAsStream("/golden/envelope-parameters-chunk-v1.bin");
         InputStream compute = getClass().getResourceAsStream("/golden/envelope-compute-v1.bin")) {
      var parameters = (WorkerProtocol.ParametersChunk) serializer.fromBinary(chunk.readAllBytes(), WireSerializer.MANIFEST);
      var work = (WorkerProtocol.Compute) serializer.fromBinary(compute.readAllBytes(), WireSerializer.MANIFEST);

      assertThat(parameters.version()).isEqualTo(42);
      assertThat(parameters.chunk().offset()).isEqualTo(7);
      assertThat(parameters.chunk().toArray()).containsExactly(0.5f, -1.5f, 2f);
      assertThat(work.step()).isEqualTo(3);
      assertThat(work.indices()).containsExactly(5, 9);
    }
  }

  @Test
  void malformedBytesAreRefusedNotDelivered() {
    var serializer = new WireSerializer((akka.actor.ExtendedActorSystem) KIT.system().classicSystem());

    assertThatThrownBy(() -> serializer.fromBinary(new byte[] {(byte) 0xFF, 0x01, 0x02}, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("malformed");
    assertThatThrownBy(() -> serializer.fromBinary(new byte[] {0x08, 0x02}, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("version 2");
    assertThatThrownBy(() -> serializer.fromBinary(new byte[] {0x08, 0x01}, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("no message");
    assertThatThrownBy(() -> serializer.fromBinary(new byte[0], "X"))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("manifest");
  }

  @Test
  void aChunkWhoseBytesAreNotWholeFloatsIsRefused() {
    var serializer = new WireSerializer((akka.actor.ExtendedActorSystem) KIT.system().classicSystem());
    byte[] bytes = dptrain.protocol.wire.Envelope.newBuilder().setFormatVersion(1)
        .setParametersChunk(dptrain.protocol.wire.ParametersChunk.newBuilder().setVersion(1)
            .setRange(dptrain.protocol.wire.TensorRange.newBuilder().setDtype(dptrain.protocol.wire.DType.FLOAT32)
                .setData(com.google.protobuf.ByteString.copyFrom(new byte[5]))))
        .build().toByteArray();

    assertThatThrownBy(() -> serializer.fromBinary(bytes, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("5 bytes");
  }

  @Test
  void anUnknownModeMoveOrPhaseOnTheWireIsRefusedByName() {
    var serializer = new WireSerializer((akka.actor.ExtendedActorSystem) KIT.system().classicSystem());
    String refText = akka.actor.typed.ActorRefResolver.get(KIT.system()).toSerializationFormat(coordinator.ref());
    byte[] moment = dptrain.protocol.wire.Envelope.newBuilder().setFormatVersion(1)
        .setMomentsTotal(dptrain.protocol.wire.MomentsTotal.newBuilder().setStep(1).setPhase(7)).build().toByteArray();
    byte[] move = dptrain.protocol.wire.Envelope.newBuilder().setFormatVersion(1)
        .setKMeans(dptrain.protocol.wire.KMeans.newBuilder().setKind("median")).build().toByteArray();
    byte[] shardMode = dptrain.protocol.wire.Envelope.newBuilder().setFormatVersion(1)
        .setHostShard(dptrain.protocol.wire.HostShard.newBuilder().setLength(4).setPieceFloats(4).setMode("turbo")
            .setCoordinator(refText).setReplyTo(refText).setDtype(dptrain.protocol.wire.DType.FLOAT32)
            .setOptimizer(dptrain.protocol.wire.OptimizerSpec.newBuilder().setName("sgd").putOptions("lr", 0.1)))
        .build().toByteArray();

    assertThatThrownBy(() -> serializer.fromBinary(moment, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("batch-norm phase 7");
    assertThatThrownBy(() -> serializer.fromBinary(move, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("unknown k-means move 'median'");
    assertThatThrownBy(() -> serializer.fromBinary(shardMode, WireSerializer.MANIFEST))
        .isInstanceOf(NotSerializableException.class).hasMessageContaining("must be one of sync, async, ssp, backup, got 'turbo'");
  }
}
