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
import dptrain.protocol.WorkerProtocol.Configure;
import dptrain.protocol.WorkerProtocol.StopWork;
import dptrain.worker.data.Augmentation;
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
      if (data.hasValidation()) {
        ModelDataFit.check(configure.model(), data.validation(), "validation");
      }
      Mlp model = new Mlp(configure.model(), configure.precision(),
          Augmentation.parse(configure.data().augment(), data.train().width()));
      configure.coordinator().tell(new CoordinatorProtocol.WorkerReady(
          getContext().getSelf(), data.train().rows(), data.test().rows(),
          data.hasValidation() ? data.validation().rows() : 0));
      getContext().getLog().info("job {}: {} training and {} test rows of {}, model {}", configure.jobId(),
          data.train().rows(), data.test().rows(), data.description(), configure.model().widthsText());
      return new WorkerJob(getContext(), configure, data, model, Worker::rejoin).behavior();
    } catch (RuntimeException e) {
      getContext().getLog().error("job {}: cannot take part: {}", configure.jobId(), e.getMessage());
      configure.coordinator().tell(new CoordinatorProtocol.WorkerFailed(getContext().getSelf(), e.getMessage()));
      return this;
    }
  }

  /** A worker whose job is replaced by another job's Configure. */
  private static Behavior<Command> rejoin(ActorContext<Command> context, Configure configure) {
    return new Worker(context).onConfigure(configure);
  }

  private Behavior<Command> onWithoutJob(Command command) {
    getContext().getLog().warn("ignored {}: no job is configured", command.getClass().getSimpleName());
    return this;
  }
}
