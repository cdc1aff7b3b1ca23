package dptrain.worker;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol.Command;
import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.protocol.WorkerProtocol.Configure;
import dptrain.protocol.WorkerProtocol.Evaluate;
import dptrain.protocol.WorkerProtocol.ParametersChunk;
import dptrain.protocol.WorkerProtocol.StopWork;
import dptrain.worker.data.DataSource;
import dptrain.worker.data.ModelDataFit;
import dptrain.worker.data.TrainTestData;
import dptrain.worker.model.Mlp;

/**
 * A worker: registers with the receptionist, takes a job's {@link Configure} (loads the data,
 * builds the model), then computes summed gradients of the micro-batches it is given and
 * evaluates parameters on test rows, each at the parameter version the request names.
 * Runs on its own dispatcher: the ND4J work blocks its thread, never the default dispatcher.
 */
public final class Worker extends AbstractBehavior<Command> {
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "dptrain-worker");

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
      return new Worker(context);
    });
  }

  private Worker(ActorContext<Command> context) {
    super(context);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Configure.class, this::onConfigure)
        .onMessage(StopWork.class, stop -> this)
        .onAnyMessage(this::onWithoutJob)
        .build();
  }

  private Behavior<Command> onConfigure(Configure configure) {
    try {
      TrainTestData data = DataSource.load(configure.data());
      ModelDataFit.check(configure.model(), data.train(), "training");
      ModelDataFit.check(configure.model(), data.test(), "test");
      Mlp model = new Mlp(configure.model());
      configure.coordinator().tell(new CoordinatorProtocol.WorkerReady(
          getContext().getSelf(), data.train().rows(), data.test().rows()));
      getContext().getLog().info("job {}: {} training and {} test rows of {}, model {}", configure.jobId(),
          data.train().rows(), data.test().rows(), data.description(), configure.model().widthsText());
      return new WorkerJob(getContext(), configure, data, model).behavior();
    } catch (RuntimeException e) {
      getContext().getLog().error("job {}: cannot take part: {}", configure.jobId(), e.getMessage());
      configure.coordinator().tell(new CoordinatorProtocol.WorkerFailed(getContext().getSelf(), e.getMessage()));
      return this;
    }
  }

  private Behavior<Command> onWithoutJob(Command command) {
    getContext().getLog().warn("ignored {}: no job is configured", command.getClass().getSimpleName());
    return this;
  }

  /** The behaviour of a worker that belongs to a job. */
  private static final class WorkerJob {
    private final ActorContext<Command> context;
    private final Configure job;
    private final TrainTestData data;
    private final Mlp model;
    private final ParameterVersions parameters;
    private final PendingWork pending = new PendingWork();
    private final GradientPusher pusher;
    private final dptrain.worker.model.ParameterViews gradient;

    WorkerJob(ActorContext<Command> context, Configure job, TrainTestData data, Mlp model) {
      this.context = context;
      this.job = job;
      this.data = data;
      this.model = model;
      this.parameters = new ParameterVersions(model.layout());
      this.pusher = new GradientPusher(job.shards(), job.maxChunkFloats(), context.getSelf());
      this.gradient = dptrain.worker.model.ParameterViews.allocate(model.layout());
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(ParametersChunk.class, this::onParametersChunk)
          .onMessage(Compute.class, this::onCompute)
          .onMessage(Evaluate.class, this::onEvaluate)
          .onMessage(Configure.class, this::onReconfigure)
          .onMessage(StopWork.class, stop -> Behaviors.stopped())
          .build();
    }

    private Behavior<Command> onParametersChunk(ParametersChunk chunk) {
      if (parameters.accept(chunk.version(), chunk.chunk())) {
        runReadyWork();
      }
      return Behaviors.same();
    }

    private Behavior<Command> onCompute(Compute compute) {
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
      if (evaluate.version() < parameters.currentVersion()) {
        evaluate.replyTo().tell(new CoordinatorProtocol.WorkerFailed(context.getSelf(),
            "asked to evaluate version " + evaluate.version() + " but holds version " + parameters.currentVersion()));
        return Behaviors.same();
      }
      pending.add(evaluate.version(), evaluate);
      runReadyWork();
      return Behaviors.same();
    }

    private Behavior<Command> onReconfigure(Configure configure) {
      context.getLog().info("job {} replaces job {}", configure.jobId(), job.jobId());
      return new Worker(context).onConfigure(configure);
    }

    private void runReadyWork() {
      for (Command work : pending.takeReady(parameters.currentVersion())) {
        if (work instanceof Compute compute) {
          double lossSum = model.gradient(parameters.current(), data.train(), compute.indices(), gradient);
          pusher.push(compute, gradient.flat().data().asNio(), lossSum);
        } else if (work instanceof Evaluate evaluate) {
          evaluate(evaluate);
        }
      }
    }

    private void evaluate(Evaluate evaluate) {
      double lossSum = 0;
      long correct = 0;
      int batch = Math.max(1, job.evalBatch());
      for (int from = evaluate.from(); from < evaluate.to(); from += batch) {
        int[] rows = java.util.stream.IntStream.range(from, Math.min(evaluate.to(), from + batch)).toArray();
        Mlp.Evaluation result = model.evaluate(parameters.current(), data.test(), rows);
        lossSum += result.lossSum();
        correct += result.correct();
      }
      // A negative count of correct predictions says accuracy does not apply (regression targets).
      long reported = data.test().isClassification() ? correct : -1;
      evaluate.replyTo().tell(new CoordinatorProtocol.Evaluated(context.getSelf(), evaluate.version(), lossSum,
          reported, evaluate.to() - evaluate.from()));
    }
  }
}
