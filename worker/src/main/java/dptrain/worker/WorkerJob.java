package dptrain.worker;

import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol.Command;
import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.WorkerProtocol.Configure;
import dptrain.protocol.WorkerProtocol.Evaluate;
import dptrain.protocol.WorkerProtocol.ParametersChunk;
import dptrain.protocol.WorkerProtocol.StopWork;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * The behaviour of a worker that belongs to a job: it keeps the parameters by version, and
 * runs each Compute or Evaluate once it holds the version that request names.
 */
final class WorkerJob {
  private final ActorContext<Command> context;
  private final Configure job;
  private final TrainTestData data;
  private final Mlp model;
  private final ParameterVersions parameters;
  /** Async modes: the newest values of every piece, and the work waiting for a complete copy. */
  private final LatestParameters latest;
  private final ArrayDeque<Command> asyncWork = new ArrayDeque<>();
  private final PendingWork pending = new PendingWork();
  private final GradientPusher pusher;
  private final ComputeLanes lanes;
  private final Function<Configure, Behavior<Command>> reconfigure;
  /** The worker's own clean-up when it stops (its lanes' threads). */
  private final Function<PostStop, Behavior<Command>> stopped;
  /** Synchronised batch norm's micro-batches in flight; null when the job normalizes each micro-batch alone. */
  private final SyncedMicroBatches synced;
  private StashBuffer<Command> stash;
  /** Newton's method: directions and the Hessian-vector products waiting for them. */
  private final CurvatureWork curvature;

  /** Far more than a sync step can leave waiting: a parameter version's chunks and the next step's work. */
  private static final int STASH_CAPACITY = 100_000;

  WorkerJob(ActorContext<Command> context, Configure job, TrainTestData data, ComputeLanes lanes,
      Function<Configure, Behavior<Command>> reconfigure, Function<PostStop, Behavior<Command>> stopped) {
    this.reconfigure = reconfigure;
    this.stopped = stopped;
    this.context = context;
    this.job = job;
    this.data = data;
    this.lanes = lanes;
    this.model = lanes.first();
    this.parameters = new ParameterVersions(model.layout(), model::allocate);
    this.latest = job.asynchronous() ? new LatestParameters(model.layout(), model.allocate()) : null;
    this.pusher = new GradientPusher(job.shards(), job.maxChunkFloats(), context.getSelf(),
        FaultInjector.parse(context.getSystem().settings().config().getString("dptrain.worker.fault-injection")),
        new GradientCompressor(dptrain.protocol.job.CompressionSpec.parse(job.compression()), model.layout().size()));
    this.curvature = new CurvatureWork(model);
    this.synced = job.model().syncBatchNorm() ? new SyncedMicroBatches(model, job, data.train(), context.getSelf()) : null;
  }

  Behavior<Command> behavior() {
    return Behaviors.withStash(STASH_CAPACITY, stash -> {
      this.stash = stash;
      return ready();
    });
  }

  private Behavior<Command> ready() {
    return Behaviors.receive(Command.class)
        .onMessage(ParametersChunk.class, this::onParametersChunk)
        .onMessage(WorkerProtocol.DirectionChunk.class, this::onDirectionChunk)
        .onMessage(Compute.class, this::onCompute)
        .onMessage(Evaluate.class, this::onEvaluate)
        .onMessage(WorkerProtocol.KMeans.class, this::onKMeans)
        .onMessage(WorkerProtocol.MomentsTotal.class, this::onLateTotals)
        .onMessage(Configure.class, this::onReconfigure)
        .onMessage(StopWork.class, stop -> Behaviors.stopped())
        .onSignal(PostStop.class, stopped::apply)
        .build();
  }

  /**
   * Synchronised batch norm: micro-batches of one step wait for the step's totals. Their step's
   * other micro-batches start at once (they are what the meeting waits for); everything else
   * waits in the stash, so that the parameters the passes read stay as they are.
   */
  private Behavior<Command> syncing() {
    return Behaviors.receive(Command.class)
        .onMessage(WorkerProtocol.MomentsTotal.class, this::onMomentsTotal)
        .onMessage(Compute.class, this::onComputeWhileSyncing)
        .onMessage(Configure.class, this::onReconfigure)
        .onMessage(StopWork.class, stop -> Behaviors.stopped())
        .onAnyMessage(other -> {
          stash.stash(other);
          return Behaviors.same();
        })
        .onSignal(PostStop.class, stopped::apply)
        .build();
  }

  private Behavior<Command> onMomentsTotal(WorkerProtocol.MomentsTotal total) {
    synced.accept(total).ifPresent(this::pushSynced);
    return afterSyncedWork();
  }

  private Behavior<Command> onComputeWhileSyncing(Compute compute) {
    if (compute.step() > synced.step()) {
      // Handed out early (the Coordinator's lookahead): it runs once this step's passes are done.
      stash.stash(compute);
    } else if (compute.step() == synced.step() && !synced.holds(compute)) {
      synced.start(compute, parameters.current()).ifPresent(this::pushSynced);
    }
    return afterSyncedWork();
  }

  /** Totals from a meeting whose micro-batches are no longer here: nothing waits for them. */
  private Behavior<Command> onLateTotals(WorkerProtocol.MomentsTotal total) {
    return Behaviors.same();
  }

  private void pushSynced(SyncedMicroBatches.Finished finished) {
    push(finished.compute(), finished.gradient(), finished.lossSum());
    synced.recycle(finished.gradient());
  }

  /** Back to the ready behaviour, with what waited, once no micro-batch is in flight. */
  private Behavior<Command> afterSyncedWork() {
    return synced != null && synced.busy() ? syncing() : stash.unstashAll(ready());
  }

  private Behavior<Command> onParametersChunk(ParametersChunk chunk) {
    if (chunk.generation() != job.generation()) {
      // From shards the job rolled back and replaced: their versions are not this job's.
      return Behaviors.same();
    }
    if (latest != null) {
      latest.accept(chunk.version(), chunk.chunk());
      runAsyncWork();
      return Behaviors.same();
    }
    if (parameters.accept(chunk.version(), chunk.chunk())) {
      runReadyWork();
      runCurvatureWork();
    }
    return afterReadyWork();
  }

  private Behavior<Command> onDirectionChunk(WorkerProtocol.DirectionChunk chunk) {
    curvature.direction(chunk);
    runCurvatureWork();
    return Behaviors.same();
  }

  /** Newton's products whose parameters and direction are both here: each pushed as its micro-batch's gradient would be. */
  private void runCurvatureWork() {
    for (var product : curvature.runReady(parameters, data.train())) {
      push(product.compute(), product.hv(), product.lossSum(), offset -> product.compute().step(), product.nanos());
    }
  }

  private Behavior<Command> afterReadyWork() {
    return synced != null && synced.busy() ? syncing() : Behaviors.same();
  }

  private Behavior<Command> onCompute(Compute compute) {
    if (latest != null) {
      asyncWork.add(compute);
      runAsyncWork();
      return Behaviors.same();
    }
    if (compute.hessianVector()) {
      curvature.add(compute);
      runCurvatureWork();
      return Behaviors.same();
    }
    if (compute.step() < parameters.currentVersion()) {
      context.getLog().warn("ignored Compute for step {}: parameters are already at version {}",
          compute.step(), parameters.currentVersion());
      return Behaviors.same();
    }
    pending.add(compute.step(), compute);
    runReadyWork();
    return afterReadyWork();
  }

  private Behavior<Command> onEvaluate(Evaluate evaluate) {
    if (latest != null) {
      asyncWork.add(evaluate);
      runAsyncWork();
      return Behaviors.same();
    }
    if (evaluate.version() < parameters.currentVersion()) {
      evaluate.replyTo().tell(new CoordinatorProtocol.WorkerFailed(context.getSelf(),
          "asked to evaluate version " + evaluate.version() + " but holds version " + parameters.currentVersion()));
      return Behaviors.same();
    }
    pending.add(evaluate.version(), evaluate);
    runReadyWork();
    return afterReadyWork();
  }

  /** A k-means move over some training rows; needs no parameters, so it runs at once. */
  private Behavior<Command> onKMeans(WorkerProtocol.KMeans move) {
    move.replyTo().tell(dptrain.worker.kmeans.KMeansWork.answer(move, data.train(), context.getSelf()));
    return Behaviors.same();
  }

  private Behavior<Command> onReconfigure(Configure configure) {
    context.getLog().info("job {} replaces job {}", configure.jobId(), job.jobId());
    return reconfigure.apply(configure);
  }

  /**
   * Async modes: a micro-batch runs on whatever values are newest, once a whole copy has
   * arrived; an evaluation waits until every piece is at least at its version (the shards
   * publish to everyone at a pause). Work runs in arrival order.
   */
  private void runAsyncWork() {
    while (!asyncWork.isEmpty() && latest.complete()) {
      Command next = asyncWork.peek();
      if (next instanceof Evaluate evaluate && latest.version() < evaluate.version()) {
        return;
      }
      asyncWork.poll();
      if (next instanceof Compute compute) {
        long start = System.nanoTime();
        var sum = lanes.compute(latest.current(), data.train(), ComputeLanes.partsOf(compute, lanes.lanes()),
            masks(compute));
        push(compute, sum.gradient(), sum.lossSum(), latest::versionAt, System.nanoTime() - start);
      } else if (next instanceof Evaluate evaluate) {
        evaluate(evaluate, latest.current());
      }
    }
  }

  /** The work at the current version, in arrival order; behind a synced step, only that step's micro-batches. */
  private void runReadyWork() {
    for (Command work : pending.takeReady(parameters.currentVersion())) {
      if (synced != null && synced.busy() && !(work instanceof Compute c && c.step() == synced.step())) {
        stash.stash(work);
      } else if (work instanceof Compute compute) {
        compute(compute);
      } else if (work instanceof Evaluate evaluate) {
        evaluate(evaluate, parameters.current());
      }
    }
  }

  private void compute(Compute compute) {
    if (synced != null) {
      if (!synced.holds(compute)) {
        synced.start(compute, parameters.current()).ifPresent(this::pushSynced);
      }
      return;
    }
    long start = System.nanoTime();
    var sum = lanes.compute(parameters.current(), data.train(), ComputeLanes.partsOf(compute, lanes.lanes()),
        masks(compute));
    push(compute, sum.gradient(), sum.lossSum(), offset -> compute.step(), System.nanoTime() - start);
  }

  private DropoutMasks masks(Compute compute) {
    return new DropoutMasks(job.data().seed(), compute.step());
  }

  private void push(Compute compute, ParameterViews summed, double lossSum) {
    push(compute, summed, lossSum, offset -> compute.step(), 0);
  }

  /** {@code baseVersion}: each range's parameter version the gradient was computed at (the step, in sync modes). */
  private void push(Compute compute, ParameterViews summed, double lossSum, java.util.function.LongUnaryOperator baseVersion,
      long computeNanos) {
    // The sum of the values is NaN or infinite exactly when one of them is (or it overflows):
    // one native reduction instead of a scan in Java.
    boolean finite = Double.isFinite(summed.flat().sumNumber().doubleValue()) && Double.isFinite(lossSum);
    pusher.push(compute, job.precision(), summed.flat().data().asNio(), lossSum, finite, baseVersion, computeNanos);
    if (job.mode() == ConsistencyMode.BACKUP) {
      // The Coordinator closes each step with the first micro-batches pushed; the rest are dropped.
      job.coordinator().tell(new CoordinatorProtocol.MicroBatchPushed(compute.step(), compute.microBatch(), context.getSelf()));
    }
  }

  private void evaluate(Evaluate evaluate, ParameterViews at) {
    evaluate.replyTo().tell(EvaluationWork.answer(evaluate, data, model, at, job.evalBatch(), context.getSelf()));
  }
}
