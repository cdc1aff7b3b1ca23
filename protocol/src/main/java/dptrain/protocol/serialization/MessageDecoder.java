package dptrain.protocol.serialization;

import dptrain.protocol.job.KMeansMove;
import dptrain.protocol.job.BatchNormPhase;
import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WireMessage;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.job.GradientRules;
import dptrain.protocol.job.OptimizerCatalog;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import dptrain.protocol.wire.Configure;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.Envelope;
import dptrain.protocol.wire.TensorRange;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a protobuf envelope back into our records, refusing anything malformed with an
 * {@link IllegalArgumentException} that says what is wrong.
 */
final class MessageDecoder {
  private final ActorRefResolver resolver;

  MessageDecoder(ActorRefResolver resolver) {
    this.resolver = resolver;
  }

  WireMessage decode(Envelope envelope) {
    if (envelope.getFormatVersion() != MessageEncoder.FORMAT_VERSION) {
      throw new IllegalArgumentException("wire format version " + envelope.getFormatVersion()
          + " is not supported (this build speaks " + MessageEncoder.FORMAT_VERSION + ")");
    }
    return switch (envelope.getMessageCase()) {
      case CONFIGURE, COMPUTE, PARAMETERS_CHUNK, DIRECTION_CHUNK, EVALUATE, STOP_WORK, K_MEANS, MOMENTS_TOTAL -> toWorker(envelope);
      case GRADIENT_CHUNK, CLOSE_STEP, REPORT_STEP, SET_WORKERS, SCALE_GRADIENT, START_SHARD, LOAD_PARAMETERS, GET_PARAMETERS,
          HOST_SHARD -> toParameterServer(envelope);
      case MESSAGE_NOT_SET -> throw new IllegalArgumentException("envelope holds no message");
      default -> toCoordinator(envelope);
    };
  }

  /** What workers receive. */
  private WireMessage toWorker(Envelope envelope) {
    return switch (envelope.getMessageCase()) {
      case CONFIGURE -> configure(envelope.getConfigure());
      case COMPUTE -> compute(envelope.getCompute());
      case PARAMETERS_CHUNK -> new WorkerProtocol.ParametersChunk(envelope.getParametersChunk().getVersion(),
          chunk(envelope.getParametersChunk().getRange()), envelope.getParametersChunk().getGeneration());
      case DIRECTION_CHUNK -> new WorkerProtocol.DirectionChunk(envelope.getDirectionChunk().getVersion(),
          chunk(envelope.getDirectionChunk().getRange()));
      case EVALUATE -> {
        var m = envelope.getEvaluate();
        yield new WorkerProtocol.Evaluate(m.getVersion(), m.getFrom(), m.getTo(), ref(m.getReplyTo()), m.getValidation());
      }
      case STOP_WORK -> WorkerProtocol.StopWork.INSTANCE;
      case K_MEANS -> {
        var m = envelope.getKMeans();
        yield new WorkerProtocol.KMeans(m.getRound(), KMeansMove.fromWire(m.getKind()), m.getFrom(), m.getTo(),
            doubles(m.getCentresList()), m.getK(), m.getTarget(), ref(m.getReplyTo()));
      }
      case MOMENTS_TOTAL -> {
        var m = envelope.getMomentsTotal();
        yield new WorkerProtocol.MomentsTotal(m.getStep(), m.getLayer(), BatchNormPhase.fromWire(m.getPhase()),
            doubles(m.getSumsList()));
      }
      default -> throw new IllegalStateException("not a worker's message: " + envelope.getMessageCase());
    };
  }

  /** What shards and shard hosts receive. */
  private WireMessage toParameterServer(Envelope envelope) {
    return switch (envelope.getMessageCase()) {
      case GRADIENT_CHUNK -> gradientChunk(envelope.getGradientChunk());
      case CLOSE_STEP -> {
        var m = envelope.getCloseStep();
        yield new ShardProtocol.CloseStep(m.getStep(), m.getMicroBatches(),
            m.getIncludedList().stream().mapToInt(Integer::intValue).toArray());
      }
      case REPORT_STEP -> new ShardProtocol.ReportStep(envelope.getReportStep().getStep());
      case SET_WORKERS -> new ShardProtocol.SetWorkers(workers(envelope.getSetWorkers().getWorkersList()),
          envelope.getSetWorkers().getPublish());
      case SCALE_GRADIENT -> new ShardProtocol.ScaleGradient(
          envelope.getScaleGradient().getStep(), envelope.getScaleGradient().getFactor());
      case START_SHARD -> new ShardProtocol.StartShard(workers(envelope.getStartShard().getWorkersList()),
          envelope.getStartShard().getVersion());
      case LOAD_PARAMETERS -> {
        var m = envelope.getLoadParameters();
        yield new ShardProtocol.LoadParameters(chunk(m.getRange()), m.getSlot(), doubles(m.getCountersList()));
      }
      case GET_PARAMETERS -> new ShardProtocol.GetParameters(ref(envelope.getGetParameters().getReplyTo()),
          envelope.getGetParameters().getWithState());
      case HOST_SHARD -> hostShard(envelope.getHostShard());
      default -> throw new IllegalStateException("not a shard's message: " + envelope.getMessageCase());
    };
  }

  /** What the Coordinator (and its children) receive. */
  private WireMessage toCoordinator(Envelope envelope) {
    return switch (envelope.getMessageCase()) {
      case BATCH_MOMENTS -> {
        var m = envelope.getBatchMoments();
        yield new CoordinatorProtocol.BatchMoments(m.getStep(), m.getLayer(), BatchNormPhase.fromWire(m.getPhase()),
            m.getMicroBatch(), m.getMicroBatches(), doubles(m.getSumsList()), ref(m.getReplyTo()));
      }
      case K_MEANS_REPORT -> {
        var m = envelope.getKMeansReport();
        yield new CoordinatorProtocol.KMeansReport(ref(m.getWorker()), m.getRound(), m.getD2Sum(), doubles(m.getPickedList()),
            doubles(m.getSumsList()), m.getCountsList().stream().mapToLong(Long::longValue).toArray(),
            doubles(m.getSquaresList()));
      }
      case WORKER_READY -> {
        var m = envelope.getWorkerReady();
        yield new CoordinatorProtocol.WorkerReady(ref(m.getWorker()), m.getGeneration(), m.getTrainSize(), m.getTestSize(),
            m.getValidationSize());
      }
      case EVALUATED -> {
        var m = envelope.getEvaluated();
        yield new CoordinatorProtocol.Evaluated(ref(m.getWorker()), m.getVersion(), m.getLossSum(), m.getCorrect(), m.getCount());
      }
      case CHUNK_REFUSED -> {
        var m = envelope.getChunkRefused();
        yield new CoordinatorProtocol.ChunkRefused(m.getShard(), m.getStep(), m.getMicroBatch(), ref(m.getSender()), m.getReason(),
            m.getGeneration());
      }
      case MICRO_BATCH_PUSHED -> {
        var m = envelope.getMicroBatchPushed();
        yield new CoordinatorProtocol.MicroBatchPushed(m.getStep(), m.getMicroBatch(), ref(m.getWorker()));
      }
      case WORKER_FAILED -> new CoordinatorProtocol.WorkerFailed(
          ref(envelope.getWorkerFailed().getWorker()), envelope.getWorkerFailed().getReason());
      default -> toCoordinatorFromShards(envelope);
    };
  }

  /** What the Coordinator receives from shards and shard hosts. */
  private WireMessage toCoordinatorFromShards(Envelope envelope) {
    return switch (envelope.getMessageCase()) {
      case STEP_DONE -> {
        var m = envelope.getStepDone();
        yield new CoordinatorProtocol.StepDone(m.getShard(), m.getStep(), m.getSampleCount(), m.getLossSum(), m.getSkipped(),
            m.getGeneration(), m.getStaleness(), m.getBytes(),
            new dptrain.protocol.StepTimes(m.getComputeNs(), m.getEncodeNs(), m.getDecodeNs(), m.getApplyNs()),
            m.getMicroBatchNsList(), m.getRowsDigest(), m.getMicroBatchArrivalNsList());
      }
      case GRADIENT_SQUARES -> {
        var m = envelope.getGradientSquares();
        yield new CoordinatorProtocol.GradientSquares(m.getShard(), m.getStep(), m.getSumSquares());
      }
      case GRADIENT_PIECE -> {
        var m = envelope.getGradientPiece();
        yield new CoordinatorProtocol.GradientPiece(m.getShard(), m.getStep(), chunk(m.getRange()));
      }
      case SHARD_HOSTED -> {
        var m = envelope.getShardHosted();
        yield new CoordinatorProtocol.ShardHosted(m.getJobId(), m.getShard(), ref(m.getShardRef()));
      }
      case SHARD_PARAMETERS_CHUNK -> {
        var m = envelope.getShardParametersChunk();
        yield new CoordinatorProtocol.ShardParametersChunk(m.getShard(), m.getVersion(), chunk(m.getRange()), m.getRefused(),
            m.getSlot(), doubles(m.getCountersList()));
      }
      default -> throw new IllegalArgumentException("unknown message " + envelope.getMessageCase());
    };
  }

  private WorkerProtocol.Compute compute(dptrain.protocol.wire.Compute m) {
    int[] groups = m.getGroupSizesList().stream().mapToInt(Integer::intValue).toArray();
    if (groups.length > 0 && Arrays.stream(groups).sum() != m.getIndicesCount()) {
      throw new IllegalArgumentException("compute groups of " + Arrays.stream(groups).sum() + " rows for "
          + m.getIndicesCount() + " indices");
    }
    return new WorkerProtocol.Compute(m.getStep(), m.getMicroBatch(), m.getMicroBatches(),
        m.getIndicesList().stream().mapToInt(Integer::intValue).toArray(), groups, m.getLr(), m.getHessianVector());
  }

  private ShardProtocol.GradientChunk gradientChunk(dptrain.protocol.wire.GradientChunk m) {
    dptrain.protocol.tensor.EncodedChunk encoded = null;
    if (m.hasEncoded()) {
      var e = m.getEncoded();
      if (e.getEncodingValue() < 1 || e.getEncodingValue() > dptrain.protocol.tensor.EncodedChunk.Encoding.values().length) {
        throw new IllegalArgumentException("unknown gradient encoding " + e.getEncodingValue());
      }
      encoded = new dptrain.protocol.tensor.EncodedChunk(e.getOffset(), e.getLength(),
          dptrain.protocol.tensor.EncodedChunk.Encoding.values()[e.getEncodingValue() - 1], e.getValues(), e.getIndices(),
          e.getMagnitude());
    }
    return new ShardProtocol.GradientChunk(m.getStep(), m.getMicroBatch(), m.getMicroBatches(), m.getSampleCount(),
        m.getLossSum(), encoded == null ? chunk(m.getRange()) : null, ref(m.getSender()), m.getLr(), !m.getNonfinite(),
        m.getBaseVersion(), encoded, m.getComputeNs(), m.getEncodeNs(), m.getRowsDigest());
  }

  private ShardHostProtocol.HostShard hostShard(dptrain.protocol.wire.HostShard m) {
    var o = m.getOptimizer();
    return new ShardHostProtocol.HostShard(m.getJobId(), m.getShard(), m.getOffset(), m.getLength(),
        OptimizerCatalog.resolve(o.getName(), o.getOptionsMap()), m.getPieceFloats(), ref(m.getCoordinator()),
        ref(m.getReplyTo()), precision(m.getDtype()), rules(m.getRules()), m.getGeneration(),
        ConsistencyMode.fromWire(m.getMode()));
  }

  private List<ActorRef<WorkerProtocol.Command>> workers(List<String> refs) {
    return refs.stream().<ActorRef<WorkerProtocol.Command>>map(this::ref).toList();
  }

  private WorkerProtocol.Configure configure(Configure m) {
    if (m.getModel().getWidthsCount() < 2) {
      throw new IllegalArgumentException("model needs at least 2 widths, got " + m.getModel().getWidthsCount());
    }
    var shards = m.getShardsList().stream()
        .map(s -> new ShardAddress(ref(s.getShard()), s.getOffset(), s.getLength()))
        .toList();
    return new WorkerProtocol.Configure(
        m.getJobId(),
        new ModelSpec(m.getModel().getWidthsList(), m.getModel().getHiddenActivation(),
            m.getModel().getOutputActivation(), m.getModel().getLoss(), m.getModel().getLayersList().stream()
            .map(l -> new dptrain.protocol.job.LayerSpec(l.getActivation(), l.getKeep(), l.getGaussian(), l.getNoise(),
                l.getDropConnect(), l.getBatchNorm(), l.getTiedTo() - 1)).toList(), m.getModel().getSyncBatchNorm(),
            m.getModel().getLabelSmoothing(), m.getModel().getTargetNoise(), m.getModel().getHeadsList().stream()
            .map(h -> new dptrain.protocol.job.Head(h.getWidth(), h.getLoss(), h.getWeight())).toList(),
            Math.max(1, m.getModel().getCopies())),
        new DataSpec(m.getData().getSource(), m.getData().getTargets(), m.getData().getSeed(),
            m.getData().getStandardize().isEmpty() ? "none" : m.getData().getStandardize(), m.getData().getValidation(),
            m.getData().getTrainOnValidation(), m.getData().getBootstrap(),
            m.getData().getAugment().isEmpty() ? "none" : m.getData().getAugment(),
            m.getData().getCsvHeader().isEmpty() ? "auto" : m.getData().getCsvHeader(), m.getData().getSampleWeights()),
        shards,
        ref(m.getCoordinator()),
        m.getEvalBatch(),
        m.getMaxChunkFloats(),
        precision(m.getDtype()),
        m.getGeneration(),
        ConsistencyMode.fromWire(m.getMode()),
        m.getCompression().isEmpty() ? "none" : m.getCompression());
  }

  private static GradientRules rules(dptrain.protocol.wire.GradientRules r) {
    var penalties = r.getPenaltiesList().stream()
        .map(p -> new GradientRules.Penalty(p.getOffset(), p.getLength(), p.getL1(), p.getL2(), p.getDecoupled()))
        .toList();
    var statistics = r.getStatisticsList().stream()
        .map(st -> new GradientRules.Statistic(st.getOffset(), st.getLength(), st.getMomentum()))
        .toList();
    var frozen = r.getFrozenList().stream().map(f -> new GradientRules.Range(f.getOffset(), f.getLength())).toList();
    var ties = r.getTiesList().stream().map(t -> new GradientRules.Tie(t.getA(), t.getB(), t.getLength(), t.getLambda())).toList();
    return new GradientRules(penalties, r.getClipValue(), r.getClipNorm(), r.getNoiseEta(), r.getNoiseGamma(), r.getSeed(),
        statistics, frozen, ties);
  }

  private static double[] doubles(java.util.List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static TensorChunk chunk(TensorRange range) {
    return new TensorChunk(range.getOffset(), precision(range.getDtype()), range.getData());
  }

  private static Precision precision(DType dtype) {
    return switch (dtype) {
      case FLOAT32 -> Precision.FLOAT32;
      case FLOAT64 -> Precision.FLOAT64;
      default -> throw new IllegalArgumentException("tensor dtype " + dtype + " is not supported (FLOAT32 or FLOAT64)");
    };
  }

  private <T> ActorRef<T> ref(String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("missing actor reference");
    }
    return resolver.resolveActorRef(path);
  }
}
