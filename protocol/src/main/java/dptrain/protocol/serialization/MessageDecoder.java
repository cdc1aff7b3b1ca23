package dptrain.protocol.serialization;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WireMessage;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.FloatChunk;
import dptrain.protocol.wire.Configure;
import dptrain.protocol.wire.DType;
import dptrain.protocol.wire.Envelope;
import dptrain.protocol.wire.FloatRange;
import java.util.Arrays;

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
      case CONFIGURE -> configure(envelope.getConfigure());
      case COMPUTE -> {
        var m = envelope.getCompute();
        int[] groups = m.getGroupSizesList().stream().mapToInt(Integer::intValue).toArray();
        if (groups.length > 0 && Arrays.stream(groups).sum() != m.getIndicesCount()) {
          throw new IllegalArgumentException("compute groups of " + Arrays.stream(groups).sum() + " rows for "
              + m.getIndicesCount() + " indices");
        }
        yield new WorkerProtocol.Compute(m.getStep(), m.getMicroBatch(), m.getMicroBatches(),
            m.getIndicesList().stream().mapToInt(Integer::intValue).toArray(), groups);
      }
      case PARAMETERS_CHUNK -> new WorkerProtocol.ParametersChunk(
          envelope.getParametersChunk().getVersion(), chunk(envelope.getParametersChunk().getRange()));
      case EVALUATE -> {
        var m = envelope.getEvaluate();
        yield new WorkerProtocol.Evaluate(m.getVersion(), m.getFrom(), m.getTo(), ref(m.getReplyTo()));
      }
      case STOP_WORK -> WorkerProtocol.StopWork.INSTANCE;
      case GRADIENT_CHUNK -> {
        var m = envelope.getGradientChunk();
        yield new ShardProtocol.GradientChunk(m.getStep(), m.getMicroBatch(), m.getMicroBatches(),
            m.getSampleCount(), m.getLossSum(), chunk(m.getRange()), ref(m.getSender()));
      }
      case WORKER_READY -> {
        var m = envelope.getWorkerReady();
        yield new CoordinatorProtocol.WorkerReady(ref(m.getWorker()), m.getTrainSize(), m.getTestSize());
      }
      case EVALUATED -> {
        var m = envelope.getEvaluated();
        yield new CoordinatorProtocol.Evaluated(ref(m.getWorker()), m.getVersion(), m.getLossSum(),
            m.getCorrect(), m.getCount());
      }
      case WORKER_FAILED -> new CoordinatorProtocol.WorkerFailed(
          ref(envelope.getWorkerFailed().getWorker()), envelope.getWorkerFailed().getReason());
      case STEP_DONE -> {
        var m = envelope.getStepDone();
        yield new CoordinatorProtocol.StepDone(m.getShard(), m.getStep(), m.getSampleCount(), m.getLossSum());
      }
      case START_SHARD -> new ShardProtocol.StartShard(
          envelope.getStartShard().getWorkersList().stream().<ActorRef<WorkerProtocol.Command>>map(this::ref).toList());
      case LOAD_PARAMETERS -> new ShardProtocol.LoadParameters(chunk(envelope.getLoadParameters().getRange()));
      case GET_PARAMETERS -> new ShardProtocol.GetParameters(ref(envelope.getGetParameters().getReplyTo()));
      case SHARD_HOSTED -> {
        var m = envelope.getShardHosted();
        yield new CoordinatorProtocol.ShardHosted(m.getJobId(), m.getShard(), ref(m.getShardRef()));
      }
      case SHARD_PARAMETERS_CHUNK -> {
        var m = envelope.getShardParametersChunk();
        yield new CoordinatorProtocol.ShardParametersChunk(m.getShard(), m.getVersion(), chunk(m.getRange()), m.getRefused());
      }
      case HOST_SHARD -> {
        var m = envelope.getHostShard();
        var o = m.getOptimizer();
        yield new ShardHostProtocol.HostShard(m.getJobId(), m.getShard(), m.getOffset(), m.getLength(),
            OptimizerSpec.of(o.getName(), o.getLr(), o.getMomentum(), o.getDampening(), o.getNesterov(),
                o.getWeightDecay(), o.getBeta1(), o.getBeta2(), o.getEps()),
            m.getPieceFloats(), ref(m.getCoordinator()), ref(m.getReplyTo()));
      }
      case MESSAGE_NOT_SET -> throw new IllegalArgumentException("envelope holds no message");
    };
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
            m.getModel().getOutputActivation(), m.getModel().getLoss()),
        new DataSpec(m.getData().getSource(), m.getData().getTargets(), m.getData().getSeed()),
        shards,
        ref(m.getCoordinator()),
        m.getEvalBatch(),
        m.getMaxChunkFloats());
  }

  private static FloatChunk chunk(FloatRange range) {
    if (range.getDtype() != DType.FLOAT32) {
      throw new IllegalArgumentException("float range of dtype " + range.getDtype() + " is not supported (FLOAT32 only)");
    }
    return new FloatChunk(range.getOffset(), range.getData());
  }

  private <T> ActorRef<T> ref(String path) {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("missing actor reference");
    }
    return resolver.resolveActorRef(path);
  }
}
