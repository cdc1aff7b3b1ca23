package dptrain.protocol.serialization;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WireMessage;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.protocol.wire.Compute;
import dptrain.protocol.wire.Configure;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.DataSpec;
import dptrain.protocol.wire.Envelope;
import dptrain.protocol.wire.Evaluate;
import dptrain.protocol.wire.Evaluated;
import dptrain.protocol.wire.TensorRange;
import dptrain.protocol.wire.GradientChunk;
import dptrain.protocol.wire.ModelSpec;
import dptrain.protocol.wire.ParametersChunk;
import dptrain.protocol.wire.StepDone;
import dptrain.protocol.wire.StopWork;
import dptrain.protocol.wire.WorkerFailed;
import dptrain.protocol.wire.WorkerReady;
import dptrain.protocol.wire.GetParameters;
import dptrain.protocol.wire.HostShard;
import dptrain.protocol.wire.LoadParameters;
import dptrain.protocol.wire.OptimizerSpec;
import dptrain.protocol.wire.GradientRules;
import dptrain.protocol.wire.GradientPiece;
import dptrain.protocol.wire.GradientSquares;
import dptrain.protocol.wire.Penalty;
import dptrain.protocol.wire.ScaleGradient;
import dptrain.protocol.wire.ShardHosted;
import dptrain.protocol.wire.ShardParametersChunk;
import dptrain.protocol.wire.StartShard;
import java.util.Arrays;

/** Turns our message records into the protobuf envelope; ActorRefs become their string form. */
final class MessageEncoder {
  static final int FORMAT_VERSION = 1;
  private final ActorRefResolver resolver;

  MessageEncoder(ActorRefResolver resolver) {
    this.resolver = resolver;
  }

  Envelope encode(WireMessage message) {
    Envelope.Builder envelope = Envelope.newBuilder().setFormatVersion(FORMAT_VERSION);
    if (!toWorker(message, envelope) && !toParameterServer(message, envelope) && !toCoordinator(message, envelope)) {
      throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
    }
    return envelope.build();
  }

  /** What workers receive; false when the message is none of them. */
  private boolean toWorker(WireMessage message, Envelope.Builder envelope) {
    if (message instanceof WorkerProtocol.Configure m) {
      envelope.setConfigure(configure(m));
    } else if (message instanceof WorkerProtocol.Compute m) {
      envelope.setCompute(Compute.newBuilder().setStep(m.step()).setMicroBatch(m.microBatch())
          .setMicroBatches(m.microBatches()).addAllIndices(Arrays.stream(m.indices()).boxed().toList())
          .addAllGroupSizes(Arrays.stream(m.groupSizes()).boxed().toList()).setLr(m.lr())
          .setHessianVector(m.hessianVector()));
    } else if (message instanceof WorkerProtocol.DirectionChunk m) {
      envelope.setDirectionChunk(dptrain.protocol.wire.DirectionChunk.newBuilder().setVersion(m.version())
          .setRange(range(m.chunk())));
    } else if (message instanceof WorkerProtocol.ParametersChunk m) {
      envelope.setParametersChunk(ParametersChunk.newBuilder().setVersion(m.version()).setRange(range(m.chunk()))
          .setGeneration(m.generation()));
    } else if (message instanceof WorkerProtocol.Evaluate m) {
      envelope.setEvaluate(Evaluate.newBuilder().setVersion(m.version()).setFrom(m.from()).setTo(m.to())
          .setReplyTo(ref(m.replyTo())).setValidation(m.validation()));
    } else if (message instanceof WorkerProtocol.KMeans m) {
      envelope.setKMeans(dptrain.protocol.wire.KMeans.newBuilder().setRound(m.round()).setKind(m.kind().wireName()).setFrom(m.from())
          .setTo(m.to()).addAllCentres(Arrays.stream(m.centres()).boxed().toList()).setK(m.k()).setTarget(m.target())
          .setReplyTo(ref(m.replyTo())));
    } else if (message instanceof WorkerProtocol.MomentsTotal m) {
      envelope.setMomentsTotal(dptrain.protocol.wire.MomentsTotal.newBuilder().setStep(m.step()).setLayer(m.layer())
          .setPhase(m.phase().wireNumber()).addAllSums(Arrays.stream(m.sums()).boxed().toList()));
    } else if (message instanceof WorkerProtocol.StopWork) {
      envelope.setStopWork(StopWork.getDefaultInstance());
    } else {
      return false;
    }
    return true;
  }

  /** What shards and shard hosts receive; false when the message is none of them. */
  private boolean toParameterServer(WireMessage message, Envelope.Builder envelope) {
    if (message instanceof ShardProtocol.GradientChunk m) {
      var wire = GradientChunk.newBuilder().setStep(m.step()).setMicroBatch(m.microBatch())
          .setMicroBatches(m.microBatches()).setSampleCount(m.sampleCount()).setLossSum(m.lossSum())
          .setSender(ref(m.sender())).setLr(m.lr()).setNonfinite(!m.finite()).setBaseVersion(m.baseVersion())
          .setComputeNs(m.computeNanos()).setEncodeNs(m.encodeNanos()).setRowsDigest(m.rowsDigest());
      if (m.encoded() != null) {
        var e = m.encoded();
        wire.setEncoded(dptrain.protocol.wire.EncodedRange.newBuilder().setOffset(e.offset()).setLength(e.length())
            .setEncodingValue(e.encoding().ordinal() + 1).setValues(e.values()).setIndices(e.indices())
            .setMagnitude(e.magnitude()));
      } else {
        wire.setRange(range(m.chunk()));
      }
      envelope.setGradientChunk(wire);
    } else if (message instanceof ShardProtocol.CloseStep m) {
      envelope.setCloseStep(dptrain.protocol.wire.CloseStep.newBuilder().setStep(m.step()).setMicroBatches(m.microBatches())
          .addAllIncluded(Arrays.stream(m.included()).boxed().toList()));
    } else if (message instanceof ShardProtocol.ReportStep m) {
      envelope.setReportStep(dptrain.protocol.wire.ReportStep.newBuilder().setStep(m.step()));
    } else if (message instanceof ShardProtocol.SetWorkers m) {
      envelope.setSetWorkers(dptrain.protocol.wire.SetWorkers.newBuilder()
          .addAllWorkers(m.workers().stream().map(this::ref).toList()).setPublish(m.publish()));
    } else if (message instanceof ShardProtocol.ScaleGradient m) {
      envelope.setScaleGradient(ScaleGradient.newBuilder().setStep(m.step()).setFactor(m.factor()));
    } else if (message instanceof ShardProtocol.StartShard m) {
      envelope.setStartShard(StartShard.newBuilder().addAllWorkers(m.workers().stream().map(this::ref).toList())
          .setVersion(m.version()));
    } else if (message instanceof ShardProtocol.LoadParameters m) {
      envelope.setLoadParameters(LoadParameters.newBuilder().setRange(range(m.chunk())).setSlot(m.slot())
          .addAllCounters(Arrays.stream(m.counters()).boxed().toList()));
    } else if (message instanceof ShardProtocol.GetParameters m) {
      envelope.setGetParameters(GetParameters.newBuilder().setReplyTo(ref(m.replyTo())).setWithState(m.withState()));
    } else if (message instanceof ShardHostProtocol.HostShard m) {
      envelope.setHostShard(HostShard.newBuilder().setJobId(m.jobId()).setShard(m.shard()).setOffset(m.offset())
          .setLength(m.length()).setOptimizer(optimizer(m.optimizer())).setPieceFloats(m.pieceFloats())
          .setCoordinator(ref(m.coordinator())).setReplyTo(ref(m.replyTo())).setDtype(dtype(m.precision()))
          .setRules(rules(m.rules())).setGeneration(m.generation()).setMode(m.mode().cliName()));
    } else {
      return false;
    }
    return true;
  }

  /** What the Coordinator receives from workers. */
  private boolean toCoordinator(WireMessage message, Envelope.Builder envelope) {
    if (message instanceof CoordinatorProtocol.KMeansReport m) {
      envelope.setKMeansReport(dptrain.protocol.wire.KMeansReport.newBuilder().setWorker(ref(m.worker())).setRound(m.round())
          .setD2Sum(m.d2Sum()).addAllPicked(Arrays.stream(m.picked()).boxed().toList())
          .addAllSums(Arrays.stream(m.sums()).boxed().toList()).addAllCounts(Arrays.stream(m.counts()).boxed().toList())
          .addAllSquares(Arrays.stream(m.squares()).boxed().toList()));
    } else if (message instanceof CoordinatorProtocol.BatchMoments m) {
      envelope.setBatchMoments(dptrain.protocol.wire.BatchMoments.newBuilder().setStep(m.step()).setLayer(m.layer())
          .setPhase(m.phase().wireNumber()).setMicroBatch(m.microBatch()).setMicroBatches(m.microBatches())
          .addAllSums(Arrays.stream(m.sums()).boxed().toList()).setReplyTo(ref(m.replyTo())));
    } else if (message instanceof CoordinatorProtocol.WorkerReady m) {
      envelope.setWorkerReady(WorkerReady.newBuilder().setWorker(ref(m.worker())).setTrainSize(m.trainSize())
          .setTestSize(m.testSize()).setValidationSize(m.validationSize()).setGeneration(m.generation()));
    } else if (message instanceof CoordinatorProtocol.Evaluated m) {
      envelope.setEvaluated(Evaluated.newBuilder().setWorker(ref(m.worker())).setVersion(m.version())
          .setLossSum(m.lossSum()).setCorrect(m.correct()).setCount(m.count()));
    } else if (message instanceof CoordinatorProtocol.ChunkRefused m) {
      envelope.setChunkRefused(dptrain.protocol.wire.ChunkRefused.newBuilder().setShard(m.shard()).setStep(m.step())
          .setMicroBatch(m.microBatch()).setSender(ref(m.sender())).setReason(m.reason()).setGeneration(m.generation()));
    } else if (message instanceof CoordinatorProtocol.MicroBatchPushed m) {
      envelope.setMicroBatchPushed(dptrain.protocol.wire.MicroBatchPushed.newBuilder().setStep(m.step())
          .setMicroBatch(m.microBatch()).setWorker(ref(m.worker())));
    } else {
      return toCoordinatorFromShards(message, envelope);
    }
    return true;
  }

  /** What the Coordinator receives from shards and shard hosts; false when the message is none of them. */
  private boolean toCoordinatorFromShards(WireMessage message, Envelope.Builder envelope) {
    if (message instanceof CoordinatorProtocol.WorkerFailed m) {
      envelope.setWorkerFailed(WorkerFailed.newBuilder().setWorker(ref(m.worker())).setReason(m.reason()));
    } else if (message instanceof CoordinatorProtocol.StepDone m) {
      envelope.setStepDone(StepDone.newBuilder().setShard(m.shard()).setStep(m.step())
          .setSampleCount(m.sampleCount()).setLossSum(m.lossSum()).setSkipped(m.skipped()).setGeneration(m.generation())
          .setStaleness(m.staleness()).setBytes(m.bytes()).setComputeNs(m.times().computeNanos())
          .setEncodeNs(m.times().encodeNanos()).setDecodeNs(m.times().decodeNanos()).setApplyNs(m.times().applyNanos())
          .addAllMicroBatchNs(m.microBatchNanos()).setRowsDigest(m.rowsDigest())
          .addAllMicroBatchArrivalNs(m.microBatchArrivals()));
    } else if (message instanceof CoordinatorProtocol.GradientSquares m) {
      envelope.setGradientSquares(GradientSquares.newBuilder().setShard(m.shard()).setStep(m.step())
          .setSumSquares(m.sumSquares()));
    } else if (message instanceof CoordinatorProtocol.GradientPiece m) {
      envelope.setGradientPiece(GradientPiece.newBuilder().setShard(m.shard()).setStep(m.step()).setRange(range(m.chunk())));
    } else if (message instanceof CoordinatorProtocol.ShardHosted m) {
      envelope.setShardHosted(ShardHosted.newBuilder().setJobId(m.jobId()).setShard(m.shard())
          .setShardRef(ref(m.shardRef())));
    } else if (message instanceof CoordinatorProtocol.ShardParametersChunk m) {
      envelope.setShardParametersChunk(ShardParametersChunk.newBuilder().setShard(m.shard()).setVersion(m.version())
          .setRange(range(m.chunk())).setRefused(m.refused()).setSlot(m.slot())
          .addAllCounters(Arrays.stream(m.counters()).boxed().toList()));
    } else {
      return false;
    }
    return true;
  }

  private Configure configure(WorkerProtocol.Configure m) {
    Configure.Builder wire = Configure.newBuilder()
        .setJobId(m.jobId())
        .setModel(ModelSpec.newBuilder().addAllWidths(m.model().widths())
            .setHiddenActivation(m.model().hiddenActivation()).setOutputActivation(m.model().outputActivation())
            .setLoss(m.model().loss()).addAllLayers(m.model().layers().stream().map(MessageEncoder::layer).toList())
            .setSyncBatchNorm(m.model().syncBatchNorm()).setLabelSmoothing(m.model().labelSmoothing())
            .setTargetNoise(m.model().targetNoise())
            .addAllHeads(m.model().heads().stream().map(h -> dptrain.protocol.wire.Head.newBuilder().setWidth(h.width())
                .setLoss(h.loss()).setWeight(h.weight()).build()).toList())
            .setCopies(m.model().copies()))
        .setData(DataSpec.newBuilder().setSource(m.data().source()).setTargets(m.data().targets())
            .setSeed(m.data().seed()).setStandardize(m.data().standardize())
            .setValidation(m.data().validation()).setTrainOnValidation(m.data().trainOnValidation())
            .setBootstrap(m.data().bootstrap()).setAugment(m.data().augment()).setCsvHeader(m.data().csvHeader())
            .setSampleWeights(m.data().sampleWeights()))
        .setCoordinator(ref(m.coordinator()))
        .setEvalBatch(m.evalBatch())
        .setMaxChunkFloats(m.maxChunkFloats())
        .setDtype(dtype(m.precision()))
        .setGeneration(m.generation())
        .setMode(m.mode().cliName())
        .setCompression(m.compression());
    for (ShardAddress shard : m.shards()) {
      wire.addShards(dptrain.protocol.wire.ShardAddress.newBuilder().setShard(ref(shard.shard()))
          .setOffset(shard.offset()).setLength(shard.length()));
    }
    return wire.build();
  }

  private static OptimizerSpec optimizer(dptrain.protocol.job.OptimizerSpec o) {
    return OptimizerSpec.newBuilder().setName(o.name()).putAllOptions(o.options()).build();
  }

  private static GradientRules rules(dptrain.protocol.job.GradientRules r) {
    GradientRules.Builder wire = GradientRules.newBuilder().setClipValue(r.clipValue()).setClipNorm(r.clipNorm())
        .setNoiseEta(r.noiseEta()).setNoiseGamma(r.noiseGamma()).setSeed(r.seed());
    for (var p : r.penalties()) {
      wire.addPenalties(Penalty.newBuilder().setOffset(p.offset()).setLength(p.length()).setL1(p.l1()).setL2(p.l2())
          .setDecoupled(p.decoupled()));
    }
    for (var st : r.statistics()) {
      wire.addStatistics(dptrain.protocol.wire.Statistic.newBuilder().setOffset(st.offset()).setLength(st.length())
          .setMomentum(st.momentum()));
    }
    for (var f : r.frozen()) {
      wire.addFrozen(dptrain.protocol.wire.Range.newBuilder().setOffset(f.offset()).setLength(f.length()));
    }
    for (var t : r.ties()) {
      wire.addTies(dptrain.protocol.wire.Tie.newBuilder().setA(t.a()).setB(t.b()).setLength(t.length()).setLambda(t.lambda()));
    }
    return wire.build();
  }

  private static TensorRange range(TensorChunk chunk) {
    return TensorRange.newBuilder().setDtype(dtype(chunk.precision())).setOffset(chunk.offset()).setData(chunk.data()).build();
  }

  static DType dtype(Precision precision) {
    return precision == Precision.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32;
  }

  private String ref(ActorRef<?> ref) {
    return resolver.toSerializationFormat(ref);
  }

  private static dptrain.protocol.wire.LayerSpec layer(dptrain.protocol.job.LayerSpec l) {
    return dptrain.protocol.wire.LayerSpec.newBuilder().setActivation(l.activation()).setKeep(l.keep())
        .setGaussian(l.gaussian()).setNoise(l.noise()).setDropConnect(l.dropConnect()).setBatchNorm(l.batchNorm())
        .setTiedTo(l.tiedTo() + 1).build();
  }
}
