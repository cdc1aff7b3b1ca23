package dptrain.worker;

import dptrain.protocol.job.ConsistencyMode;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol.Command;
import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.WorkerProtocol.Configure;
import dptrain.protocol.WorkerProtocol.Evaluate;
import dptrain.protocol.WorkerProtocol.ParametersChunk;
import dptrain.protocol.WorkerProtocol.StopWork;
import dptrain.protocol.WorkerProtocol;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.kmeans.KMeansMoves;
import akka.actor.typed.javadsl.AskPattern;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.MomentsExchange;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import dptrain.protocol.tensor.PairwiseReduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

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
  private final java.util.ArrayDeque<Command> asyncWork = new java.util.ArrayDeque<>();
  private final PendingWork pending = new PendingWork();
  private final GradientPusher pusher;
  private final ParameterViews gradient;
  private final List<ParameterViews> groupGradients = new ArrayList<>();
  private final BiFunction<ActorContext<Command>, Configure, Behavior<Command>> reconfigure;

  WorkerJob(ActorContext<Command> context, Configure job, TrainTestData data, Mlp model,
      BiFunction<ActorContext<Command>, Configure, Behavior<Command>> reconfigure) {
    this.reconfigure = reconfigure;
    this.context = context;
    this.job = job;
    this.data = data;
    this.model = model;
    this.parameters = new ParameterVersions(model.layout(), model::allocate);
    this.latest = job.asynchronous() ? new LatestParameters(model.layout(), model.allocate()) : null;
    this.pusher = new GradientPusher(job.shards(), job.maxChunkFloats(), context.getSelf(),
        FaultInjector.parse(context.getSystem().settings().config().getString("dptrain.worker.fault-injection")),
        new GradientCompressor(dptrain.protocol.job.CompressionSpec.parse(job.compression()), model.layout().size()));
    this.gradient = model.allocate();
  }

  Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(ParametersChunk.class, this::onParametersChunk)
        .onMessage(Compute.class, this::onCompute)
        .onMessage(Evaluate.class, this::onEvaluate)
        .onMessage(WorkerProtocol.KMeans.class, this::onKMeans)
        .onMessage(Configure.class, this::onReconfigure)
        .onMessage(StopWork.class, stop -> Behaviors.stopped())
        .build();
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
    }
    return Behaviors.same();
  }

  private Behavior<Command> onCompute(Compute compute) {
    if (latest != null) {
      asyncWork.add(compute);
      runAsyncWork();
      return Behaviors.same();
    }
    if (compute.step() < parameters.currentVersion()) {
      context.getLog().warn("ignored Compute for step {}: parameters are already at version {}",
          compute.step(), parameters.currentVersion());
      return Behaviors.same();
    }
    pending.add(compute.step(), compute);
    runReadyWork();
    return Behaviors.same();
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
    return Behaviors.same();
  }

  /** A k-means move over some training rows; needs no parameters, so it runs at once. */
  private Behavior<Command> onKMeans(WorkerProtocol.KMeans move) {
    var rows = data.train();
    if (move.from() < 0 || move.to() > rows.rows() || move.from() >= move.to()
        || move.centres().length != move.k() * rows.width()) {
      move.replyTo().tell(new CoordinatorProtocol.WorkerFailed(context.getSelf(), "k-means move over rows [" + move.from()
          + ", " + move.to() + ") with " + move.k() + " centres of " + move.centres().length + " values does not fit "
          + rows.rows() + " rows of width " + rows.width()));
      return Behaviors.same();
    }
    double[] none = new double[0];
    var report = switch (move.kind()) {
      case D2 -> new CoordinatorProtocol.KMeansReport(context.getSelf(), move.round(),
          KMeansMoves.d2Sum(rows, move.from(), move.to(), move.centres(), move.k()), none, none, new long[0], none);
      case PICK -> new CoordinatorProtocol.KMeansReport(context.getSelf(), move.round(), 0,
          KMeansMoves.pick(rows, move.from(), move.to(), move.centres(), move.k(), move.target()), none, new long[0], none);
      case ASSIGN -> {
        var a = KMeansMoves.assign(rows, move.from(), move.to(), move.centres(), move.k());
        yield new CoordinatorProtocol.KMeansReport(context.getSelf(), move.round(), 0, none, a.sums(), a.counts(), a.squares());
      }
    };
    move.replyTo().tell(report);
    return Behaviors.same();
  }

  private Behavior<Command> onReconfigure(Configure configure) {
    context.getLog().info("job {} replaces job {}", configure.jobId(), job.jobId());
    return reconfigure.apply(context, configure);
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
        double lossSum = model.gradient(latest.current(), data.train(), compute.indices(), gradient, masks(compute),
            MomentsExchange.NONE);
        push(compute, gradient, lossSum, latest::versionAt);
      } else if (next instanceof Evaluate evaluate) {
        evaluate(evaluate, latest.current());
      }
    }
  }

  private void runReadyWork() {
    for (Command work : pending.takeReady(parameters.currentVersion())) {
      if (work instanceof Compute compute) {
        compute(compute);
      } else if (work instanceof Evaluate evaluate) {
        evaluate(evaluate, parameters.current());
      }
    }
  }

  private void compute(Compute compute) {
    if (compute.groupSizes().length <= 1) {
      double lossSum = model.gradient(parameters.current(), data.train(), compute.indices(), gradient, masks(compute),
          exchange(compute));
      push(compute, gradient, lossSum);
      return;
    }
    // Canonical groups: each group's gradient alone, then the fixed pairwise sum.
    int[] sizes = compute.groupSizes();
    while (groupGradients.size() < sizes.length) {
      groupGradients.add(model.allocate());
    }
    double lossSum = 0;
    for (int g = 0, from = 0; g < sizes.length; from += sizes[g], g++) {
      ParameterViews target = groupGradients.get(g);
      if (sizes[g] == 0) {
        target.flat().assign(0);
      } else {
        int[] rows = Arrays.copyOfRange(compute.indices(), from, from + sizes[g]);
        lossSum += model.gradient(parameters.current(), data.train(), rows, target, masks(compute));
      }
    }
    for (PairwiseReduction.Pair pair : PairwiseReduction.order(sizes.length)) {
      groupGradients.get(pair.target()).flat().addi(groupGradients.get(pair.source()).flat());
    }
    push(compute, groupGradients.get(0), lossSum);
  }

  /** With synchronised batch norm: asks the Coordinator for the step's totals, blocking this worker's own thread. */
  private MomentsExchange exchange(Compute compute) {
    if (!job.model().syncBatchNorm()) {
      return MomentsExchange.NONE;
    }
    return (layer, phase, local) -> {
      try {
        return AskPattern.<CoordinatorProtocol.Command, WorkerProtocol.MomentsTotal>ask(job.coordinator(),
            replyTo -> new CoordinatorProtocol.BatchMoments(compute.step(), layer, phase, compute.microBatch(),
                compute.microBatches(), local, replyTo), MOMENTS_TIMEOUT, context.getSystem().scheduler())
            .toCompletableFuture().get().sums();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for batch-norm statistics", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("no batch-norm statistics for step " + compute.step() + " layer " + layer
            + " within " + MOMENTS_TIMEOUT.toSeconds() + " s", e);
      }
    };
  }

  private static final java.time.Duration MOMENTS_TIMEOUT = java.time.Duration.ofSeconds(120);

  private DropoutMasks masks(Compute compute) {
    return new DropoutMasks(job.data().seed(), compute.step());
  }

  private void push(Compute compute, ParameterViews summed, double lossSum) {
    push(compute, summed, lossSum, offset -> compute.step());
  }

  /** {@code baseVersion}: each range's parameter version the gradient was computed at (the step, in sync modes). */
  private void push(Compute compute, ParameterViews summed, double lossSum, java.util.function.LongUnaryOperator baseVersion) {
    // The sum of the values is NaN or infinite exactly when one of them is (or it overflows):
    // one native reduction instead of a scan in Java.
    boolean finite = Double.isFinite(summed.flat().sumNumber().doubleValue()) && Double.isFinite(lossSum);
    pusher.push(compute, job.precision(), summed.flat().data().asNio(), lossSum, finite, baseVersion);
    if (job.mode() == ConsistencyMode.BACKUP) {
      // The Coordinator closes each step with the first micro-batches pushed; the rest are dropped.
      job.coordinator().tell(new CoordinatorProtocol.MicroBatchPushed(compute.step(), compute.microBatch(), context.getSelf()));
    }
  }

  private void evaluate(Evaluate evaluate, ParameterViews at) {
    if (evaluate.validation() && !data.hasValidation()) {
      evaluate.replyTo().tell(new CoordinatorProtocol.WorkerFailed(context.getSelf(),
          "asked to evaluate on a validation set, but the job holds none out"));
      return;
    }
    var rowsOf = evaluate.validation() ? data.validation() : data.test();
    double lossSum = 0;
    long correct = 0;
    int batch = Math.max(1, job.evalBatch());
    for (int from = evaluate.from(); from < evaluate.to(); from += batch) {
      int[] rows = IntStream.range(from, Math.min(evaluate.to(), from + batch)).toArray();
      Mlp.Evaluation result = model.evaluate(at, rowsOf, rows);
      lossSum += result.lossSum();
      correct += result.correct();
    }
    // A negative count of correct predictions says accuracy does not apply (regression targets).
    long reported = rowsOf.isClassification() ? correct : -1;
    evaluate.replyTo().tell(new CoordinatorProtocol.Evaluated(context.getSelf(), evaluate.version(), lossSum,
        reported, evaluate.to() - evaluate.from()));
  }
}
