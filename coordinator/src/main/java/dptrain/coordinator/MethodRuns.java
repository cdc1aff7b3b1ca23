package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.BehaviorBuilder;
import akka.actor.typed.javadsl.Behaviors;
import dptrain.coordinator.fullbatch.FullBatchMethods;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.kmeans.KMeansRun;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.protocol.CoordinatorProtocol.Command;
import dptrain.protocol.CoordinatorProtocol.GradientPiece;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The job's runs that are not stochastic training, each a child of the Coordinator that reports
 * once: placing RBF centres by data-parallel k-means (step 1 of RBF learning), and full-batch
 * methods (L-BFGS, CG), for which the shards only reduce gradients.
 */
final class MethodRuns {
  private MethodRuns() {}

  /**
   * Step 1 of RBF learning: k-means++ and Lloyd place the first layer's centres and widths; the
   * Coordinator's behaviour meanwhile, which ends the job with {@code end} when they are placed.
   */
  static BehaviorBuilder<Command> placeRbfCentres(ActorContext<Command> context, JobSettings settings, JobResources resources,
      List<ActorRef<WorkerProtocol.Command>> workers, DataRows rows, Function<TrainingOutcome, Behavior<Command>> end) {
    var first = resources.layout().layers().get(0);
    context.spawn(KMeansRun.create(new KMeansRun.Setup(workers, rows.train(), settings.model().inputWidth(), first.out(),
        JobSettings.KMEANS_ITERATIONS, settings.seed(), settings.stepTimeout(), context.getSelf())), "k-means");
    return Behaviors.receive(Command.class)
        .onMessage(KMeansRun.Placed.class, placed -> end.apply(centresPlaced(context, resources, rows, placed)))
        .onMessage(KMeansRun.NotPlaced.class, failed -> end.apply(new TrainingOutcome.Failed("k-means: " + failed.reason())));
  }

  /** The job ends with the initial vector, its first layer's centres and widths so placed, untrained otherwise. */
  private static TrainingOutcome centresPlaced(ActorContext<Command> context, JobResources resources, DataRows rows,
      KMeansRun.Placed placed) {
    var first = resources.layout().layers().get(0);
    context.getLog().info(String.format(Locale.ROOT, "k-means++ and %d Lloyd step(s) placed %d centres: inertia %.6g "
        + "(mean squared distance %.6g)", placed.iterations(), first.out(), placed.inertia(), placed.inertia() / rows.train()));
    return new TrainingOutcome.Finished(placed.placedIn(resources.initial(), first), 0, Double.NaN, Double.NaN, Double.NaN,
        0, 0, 0);
  }

  /**
   * lbfgs, cg and newton: the method runs in a child, to which the shards' reports go on; the shards only
   * reduce gradients. The Coordinator's behaviour meanwhile, which ends the job with {@code end}.
   */
  static BehaviorBuilder<Command> fullBatch(ActorContext<Command> context, JobSettings settings, JobResources resources,
      List<ActorRef<WorkerProtocol.Command>> workers, List<ShardAddress> shards, DataRows rows,
      ActorRef<MetricsLog.Record> metrics, Function<TrainingOutcome, Behavior<Command>> end) {
    shards.forEach(shard -> shard.shard().tell(new ShardProtocol.StartShard(workers)));
    var spec = settings.optimization().optimizer();
    int iterations = (int) (settings.steps() > 0 ? settings.steps() : settings.epochs());
    context.getLog().info("job {}: {} over all {} training rows, at most {} iteration(s)", settings.jobId(), spec.name(),
        rows.train(), iterations);
    ActorRef<Command> run = context.spawn(FullBatchRun.create(new FullBatchRun.Setup(FullBatchMethods.create(spec, iterations),
        resources.initial(), workers, shards, rows.train(), rows.test(), resources.pieceElements(), settings.reductionGroups(),
        settings.stepTimeout(),
        metrics, context.getSelf())), "full-batch");
    return Behaviors.receive(Command.class)
        .onMessage(StepDone.class, done -> forward(run, done))
        .onMessage(GradientPiece.class, piece -> forward(run, piece))
        .onMessage(FullBatchRun.Finished.class, finished -> end.apply(finished.outcome()));
  }

  private static Behavior<Command> forward(ActorRef<Command> to, Command message) {
    to.tell(message);
    return Behaviors.same();
  }
}
