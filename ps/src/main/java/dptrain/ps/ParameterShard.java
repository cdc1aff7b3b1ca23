package dptrain.ps;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import dptrain.protocol.ShardHostProtocol.HostShard;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.ShardProtocol.Command;
import dptrain.protocol.ShardProtocol.GetParameters;
import dptrain.protocol.ShardProtocol.GradientChunk;
import dptrain.protocol.ShardProtocol.LoadParameters;
import dptrain.protocol.ShardProtocol.ScaleGradient;
import dptrain.protocol.ShardProtocol.StartShard;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ConsistencyMode;

/**
 * One parameter-server shard: owns the range [offset, offset + length) of the flat parameter
 * vector and the optimizer state for it ({@link ShardState}), and applies the gradients the
 * workers push as its mode says: synchronous steps ({@link SyncApplier}: sync, backup, clipping
 * by global norm, full-batch reduction) or async micro-batches ({@link AsyncApplier}: async and
 * ssp). Chunks that do not decode, are for another step or do not fit are refused, logged with
 * their sender and counted, never applied.
 */
public final class ParameterShard extends AbstractBehavior<Command> {
  private final ShardState state;
  private final GradientApplier applier;

  /** A shard as {@code spec} describes it; its values arrive as {@link LoadParameters} before {@link StartShard}. */
  public static Behavior<Command> create(HostShard spec) {
    return Behaviors.setup(context -> new ParameterShard(context, spec));
  }

  private ParameterShard(ActorContext<Command> context, HostShard spec) {
    super(context);
    this.state = new ShardState(spec, context.getLog());
    var mode = spec.mode();
    this.applier = mode.asynchronous() ? new AsyncApplier(state) : new SyncApplier(state, mode == ConsistencyMode.BACKUP);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LoadParameters.class, this::onLoadParameters)
        .onMessage(StartShard.class, this::onStart)
        .onMessage(GradientChunk.class, this::onGradientChunk)
        .onMessage(ScaleGradient.class, this::onScaleGradient)
        .onMessage(GetParameters.class, this::onGetParameters)
        .onMessage(ShardProtocol.SetWorkers.class, this::onSetWorkers)
        .onMessage(ShardProtocol.CloseStep.class, this::onCloseStep)
        .onMessage(ShardProtocol.ReportStep.class, this::onReportStep)
        .build();
  }

  private Behavior<Command> onLoadParameters(LoadParameters load) {
    state.load(load);
    return this;
  }

  private Behavior<Command> onStart(StartShard start) {
    if (!state.loadedFor(start.version())) {
      return this;
    }
    state.version = start.version();
    state.setWorkers(start.workers());
    // A full-batch method's points, the first included, come from the Coordinator alone: the
    // workers count a version's values by chunk, and two senders' chunks would overlap.
    if (!state.spec.optimizer().fullBatch()) {
      for (int i = 0; i < state.pieces.size(); i++) {
        state.send(applier.versionOf(i), state.pieces.get(i).published());
      }
    }
    return this;
  }

  private Behavior<Command> onGradientChunk(GradientChunk received) {
    GradientChunk chunk;
    try {
      chunk = received.decoded(state.spec.precision());
    } catch (IllegalArgumentException e) {
      applier.refuse(received, "does not decode: " + e.getMessage());
      return this;
    }
    applier.onChunk(chunk, received.wireBytes());
    return this;
  }

  private Behavior<Command> onScaleGradient(ScaleGradient scale) {
    applier.onScale(scale);
    return this;
  }

  private Behavior<Command> onReportStep(ShardProtocol.ReportStep report) {
    applier.onReportStep(report.step());
    return this;
  }

  private Behavior<Command> onCloseStep(ShardProtocol.CloseStep close) {
    applier.onClose(close);
    return this;
  }

  private Behavior<Command> onGetParameters(GetParameters get) {
    state.reportParameters(get);
    return this;
  }

  /** Workers left or joined between steps: new ones (or, to publish, all) get the current values, all get the next ones. */
  private Behavior<Command> onSetWorkers(ShardProtocol.SetWorkers set) {
    for (ActorRef<WorkerProtocol.Command> worker : set.workers()) {
      if (set.publish() || !state.workers.contains(worker)) {
        for (int i = 0; i < state.pieces.size(); i++) {
          state.sendTo(worker, applier.versionOf(i), state.pieces.get(i).published());
        }
      }
    }
    state.setWorkers(set.workers());
    return this;
  }
}
