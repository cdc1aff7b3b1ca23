package dptrain.coordinator;

import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.round.EvaluationRound;
import dptrain.coordinator.fullbatch.Minimizer;
import dptrain.coordinator.fullbatch.Objective;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.plan.EpochPlan;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.CoordinatorProtocol.GradientPiece;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Chunking;
import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * A full-batch method (L-BFGS, CG, Newton) on the cluster, as Spark MLlib runs them: the method itself
 * is sequential and runs here, on a thread of its own; every loss-and-gradient evaluation it
 * asks for fans out to the workers, each over its share of the whole training set, and the
 * shards reduce the gradient and send its pieces back. Evaluation k sends the point to the
 * workers as parameters of version k, so the workers' and shards' step counting is unchanged.
 * At the end the final point is evaluated on the test set, and the outcome goes to the Coordinator.
 */
final class FullBatchRun {
  private FullBatchRun() {}

  /** Where a method's sequential loop runs (reference.conf). */
  static final String DISPATCHER = "dptrain.coordinator.full-batch-dispatcher";

  /**
   * The method's thread asks for f and its gradient at x, or (with a {@code direction}) for f and
   * H v at x; the answer goes to {@code replyTo}.
   */
  private record EvaluateAt(double[] x, double[] direction, ActorRef<Objective.Evaluation> replyTo)
      implements CoordinatorProtocol.Internal {}

  private record IterationDone(Minimizer.Iteration iteration) implements CoordinatorProtocol.Internal {}

  private record Minimized(double[] x, String failure) implements CoordinatorProtocol.Internal {}

  /** The final point's test evaluation ended. */
  private record Evaluated(EvaluationRound.Outcome outcome) implements CoordinatorProtocol.Internal {}

  /** The run is over: how it ended, for the Coordinator to report. */
  record Finished(TrainingOutcome outcome) implements CoordinatorProtocol.Internal {}

  /** Everything the run needs from the job. */
  record Setup(Minimizer minimizer, FlatArray start, List<ActorRef<WorkerProtocol.Command>> workers,
      List<ShardAddress> shards, int trainRows, int testRows, int chunkElements, int reductionGroups, Duration timeout,
      ActorRef<MetricsLog.Record> metrics, ActorRef<CoordinatorProtocol.Command> replyTo) {}

  static Behavior<CoordinatorProtocol.Command> create(Setup setup) {
    return Behaviors.setup(context -> new Running(context, setup).behavior());
  }

  private static final class Running {
    private final ActorContext<CoordinatorProtocol.Command> context;
    private final Setup setup;
    private final Precision precision;
    private final long startNanos = System.nanoTime();
    private long version = -1;
    private EvaluateAt pending;
    private double[] gradient;
    private long received;
    private int stepsDone;
    private double lossSum;
    private long samples;
    private long totalSamples;
    private Minimizer.Iteration last;
    private FlatArray result;
    private double trainingSeconds;
    /** Read by the method's thread, so kept apart from the context (which only this actor may touch). */
    private final ActorRef<CoordinatorProtocol.Command> self;
    private final akka.actor.typed.Scheduler scheduler;

    Running(ActorContext<CoordinatorProtocol.Command> context, Setup setup) {
      this.context = context;
      this.setup = setup;
      this.precision = setup.start().precision();
      this.self = context.getSelf();
      this.scheduler = context.getSystem().scheduler();
      Objective objective = new Objective() {
        @Override
        public Evaluation evaluate(double[] x) {
          return ask(x, null);
        }

        @Override
        public double[] hessianTimes(double[] x, double[] v) {
          return ask(x, v).gradient();
        }
      };
      // The method's loop waits for each evaluation on a dispatcher of its own, never on this
      // actor's thread (which completes the evaluations); its result comes back as a message.
      var executor = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(DISPATCHER));
      CompletableFuture<double[]> minimized = CompletableFuture.supplyAsync(() -> setup.minimizer().minimize(objective,
          setup.start().toDoubles(), it -> self.tell(new IterationDone(it))), executor);
      context.pipeToSelf(minimized, (x, error) -> error == null ? new Minimized(x, null)
          : new Minimized(null, (error.getCause() != null ? error.getCause() : error).getMessage()));
    }

    /** The method's thread asks this actor as any code outside an actor would, and waits there. */
    private Objective.Evaluation ask(double[] x, double[] direction) {
      try {
        return AskPattern.<CoordinatorProtocol.Command, Objective.Evaluation>ask(self,
            replyTo -> new EvaluateAt(x, direction, replyTo), setup.timeout(), scheduler)
            .toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for an evaluation", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("an evaluation did not complete within " + setup.timeout().toSeconds() + " s", e);
      }
    }

    Behavior<CoordinatorProtocol.Command> behavior() {
      return Behaviors.receive(CoordinatorProtocol.Command.class)
          .onMessage(EvaluateAt.class, this::onEvaluateAt)
          .onMessage(GradientPiece.class, this::onGradientPiece)
          .onMessage(StepDone.class, this::onStepDone)
          .onMessage(IterationDone.class, this::onIteration)
          .onMessage(Minimized.class, this::onMinimized)
          .onMessage(Evaluated.class, this::onEvaluated)
          .build();
    }

    private Behavior<CoordinatorProtocol.Command> onEvaluateAt(EvaluateAt evaluate) {
      pending = evaluate;
      version++;
      gradient = new double[evaluate.x().length];
      received = 0;
      stepsDone = 0;
      lossSum = 0;
      samples = 0;
      sendPoint(evaluate.x(), version);
      if (evaluate.direction() != null) {
        sendChunks(evaluate.direction(), (offset, chunk) -> new WorkerProtocol.DirectionChunk(version, chunk));
      }
      var shares = shares();
      for (int mb = 0; mb < shares.size(); mb++) {
        var share = shares.get(mb);
        setup.workers().get(mb).tell(new WorkerProtocol.Compute(version, mb, shares.size(), share.rows(), share.groups(), 0.0,
            evaluate.direction() != null));
      }
      return Behaviors.same();
    }

    /** A worker's rows of the whole training set and, with reduction groups, the sizes of the canonical groups in them. */
    private record Share(int[] rows, int[] groups) {}

    /**
     * The training rows cut over the workers: with {@code reductionGroups} into that many canonical
     * groups, each worker a contiguous block of them (the same sum, so the same bits, for any
     * worker count that divides them), else one share per worker.
     */
    private List<Share> shares() {
      int[] rows = IntStream.range(0, setup.trainRows()).toArray();
      int workers = Math.min(setup.workers().size(), rows.length);
      if (setup.reductionGroups() == 0) {
        return java.util.Arrays.stream(EpochPlan.split(rows, workers)).map(r -> new Share(r, new int[0])).toList();
      }
      int[][] groups = EpochPlan.split(rows, setup.reductionGroups());
      int perWorker = groups.length / workers;
      List<Share> shares = new java.util.ArrayList<>();
      for (int w = 0; w < workers; w++) {
        int[][] block = java.util.Arrays.copyOfRange(groups, w * perWorker, (w + 1) * perWorker);
        shares.add(new Share(java.util.Arrays.stream(block).flatMapToInt(java.util.Arrays::stream).toArray(),
            java.util.Arrays.stream(block).mapToInt(g -> g.length).toArray()));
      }
      return shares;
    }

    private Behavior<CoordinatorProtocol.Command> onGradientPiece(GradientPiece piece) {
      if (piece.step() == version && pending != null) {
        double[] values = piece.chunk().toDoubles();
        System.arraycopy(values, 0, gradient, (int) piece.chunk().offset(), values.length);
        received += values.length;
        completeWhenReady();
      }
      return Behaviors.same();
    }

    private Behavior<CoordinatorProtocol.Command> onStepDone(StepDone done) {
      if (done.step() == version && pending != null) {
        stepsDone++;
        lossSum = done.lossSum();
        samples = done.sampleCount();
        completeWhenReady();
      }
      return Behaviors.same();
    }

    private void completeWhenReady() {
      if (received == gradient.length && stepsDone == setup.shards().size()) {
        totalSamples += samples;
        EvaluateAt done = pending;
        pending = null;
        done.replyTo().tell(new Objective.Evaluation(lossSum / samples, gradient));
      }
    }

    private Behavior<CoordinatorProtocol.Command> onIteration(IterationDone done) {
      last = done.iteration();
      context.getLog().info("{} iteration {}: loss={} step={} evaluations={}", setup.minimizer().getClass().getSimpleName(),
          last.index(), String.format(java.util.Locale.ROOT, "%.6f", last.loss()), last.step(), last.evaluations());
      if (setup.metrics() != null) {
        setup.metrics().tell(new MetricsLog.StepRecord(last.index() - 1, last.index() - 1, last.loss(), setup.trainRows(),
            last.step(), false, seconds()));
      }
      return Behaviors.same();
    }

    /** The method is done: send the workers its final point and evaluate it on the test set. */
    private Behavior<CoordinatorProtocol.Command> onMinimized(Minimized minimized) {
      if (minimized.failure() != null) {
        setup.replyTo().tell(new Finished(new TrainingOutcome.Failed(minimized.failure())));
        return Behaviors.stopped();
      }
      trainingSeconds = seconds();
      result = FlatArray.of(precision, minimized.x());
      version++;
      sendPoint(minimized.x(), version);
      context.spawn(EvaluationRound.create(setup.workers(), version, setup.testRows(), false, setup.timeout(),
          context.messageAdapter(EvaluationRound.Outcome.class, Evaluated::new)),
          "evaluation-final");
      return Behaviors.same();
    }

    private Behavior<CoordinatorProtocol.Command> onEvaluated(Evaluated evaluated) {
      if (evaluated.outcome() instanceof EvaluationRound.Failed failed) {
        setup.replyTo().tell(new Finished(new TrainingOutcome.Failed(failed.reason())));
        return Behaviors.stopped();
      }
      var r = ((EvaluationRound.Succeeded) evaluated.outcome()).result();
      double accuracy = r.correct() < 0 ? Double.NaN : (double) r.correct() / r.count();
      long iterations = last == null ? 0 : last.index();
      double trainLoss = last == null ? Double.NaN : last.loss();
      context.getLog().info(String.format(java.util.Locale.ROOT,
          "%d iteration(s) train_loss=%.6f test_loss=%.4f test_accuracy=%.4f", iterations, trainLoss,
          r.lossSum() / r.count(), accuracy));
      double samplesPerSecond = trainingSeconds > 0 ? totalSamples / trainingSeconds : 0;
      setup.replyTo().tell(new Finished(new TrainingOutcome.Finished(result, iterations, trainLoss, r.lossSum() / r.count(),
          accuracy, samplesPerSecond, 0, 0)));
      return Behaviors.stopped();
    }

    private double seconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The point as parameters of {@code pointVersion}, to every worker. */
    private void sendPoint(double[] x, long pointVersion) {
      sendChunks(x, (offset, chunk) -> new WorkerProtocol.ParametersChunk(pointVersion, chunk));
    }

    /** {@code values} cut into chunks under a frame, each made into a message, to every worker. */
    private void sendChunks(double[] values, java.util.function.BiFunction<Long, TensorChunk, WorkerProtocol.Command> message) {
      FlatArray flat = FlatArray.of(precision, values);
      for (Chunking.Piece piece : Chunking.split(0, values.length, setup.chunkElements())) {
        var chunk = message.apply(piece.offset(), TensorChunk.of(piece.offset(), flat, (int) piece.offset(), piece.length()));
        setup.workers().forEach(w -> w.tell(chunk));
      }
    }
  }
}
