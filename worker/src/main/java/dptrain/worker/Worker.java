package dptrain.worker;

import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A worker: registers with the receptionist, takes a job's {@link Configure} (loads the data,
 * builds the model), then computes summed gradients of the micro-batches it is given and
 * evaluates parameters on test rows, each at the parameter version the request names.
 * Runs on its own dispatcher: the ND4J work blocks its thread, never the default dispatcher.
 */
public final class Worker extends AbstractBehavior<Command> {
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "dptrain-worker");

  /** The node's compute lanes (setting {@code dptrain.worker.lanes}): threads one micro-batch is computed on. */
  public static final String LANES = "dptrain.worker.lanes";

  private final int lanes;
  /** Lanes 1..K-1 run here; lane 0 is this actor's own thread. Null with one lane. */
  private final ExecutorService helpers;

  public static Behavior<Command> create() {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, context.getSelf()));
      int lanes = context.getSystem().settings().config().getInt(LANES);
      if (lanes < 1) {
        throw new IllegalArgumentException(LANES + " must be >= 1, got " + lanes);
      }
      return new Worker(context, lanes, lanes > 1 ? helperThreads(lanes - 1, context.getSelf().path().name()) : null);
    });
  }

  private Worker(ActorContext<Command> context, int lanes, ExecutorService helpers) {
    super(context);
    this.lanes = lanes;
    this.helpers = helpers;
  }

  private static ExecutorService helperThreads(int count, String name) {
    var created = new java.util.concurrent.atomic.AtomicInteger();
    return Executors.newFixedThreadPool(count, task -> {
      Thread thread = new Thread(task, "dptrain-" + name + "-lane-" + created.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Configure.class, this::onConfigure)
        .onMessage(StopWork.class, stop -> this)
        .onAnyMessage(this::onWithoutJob)
        .onSignal(PostStop.class, this::onStopped)
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
      var augmentation = Augmentation.parse(configure.data().augment(), data.train().width());
      var computeLanes = new ComputeLanes(lanes, () -> new Mlp(configure.model(), configure.precision(), augmentation),
          helpers);
      configure.coordinator().tell(new CoordinatorProtocol.WorkerReady(
          getContext().getSelf(), configure.generation(), data.train().rows(), data.test().rows(),
          data.hasValidation() ? data.validation().rows() : 0));
      getContext().getLog().debug("job {}: {} training and {} test rows of {}, model {}", configure.jobId(),
          data.train().rows(), data.test().rows(), data.description(), configure.model().widthsText());
      return new WorkerJob(getContext(), configure, data, computeLanes, this::rejoin, this::onStopped).behavior();
    } catch (RuntimeException e) {
      getContext().getLog().error("job {}: cannot take part: {}", configure.jobId(), e.getMessage());
      configure.coordinator().tell(new CoordinatorProtocol.WorkerFailed(getContext().getSelf(), e.getMessage()));
      return this;
    }
  }

  /** A worker whose job is replaced by another job's Configure. */
  private Behavior<Command> rejoin(Configure configure) {
    return onConfigure(configure);
  }

  /** The lanes' threads end with the worker, whichever behaviour it stopped in. */
  private Behavior<Command> onStopped(PostStop stopped) {
    if (helpers != null) {
      helpers.shutdownNow();
    }
    return this;
  }

  private Behavior<Command> onWithoutJob(Command command) {
    getContext().getLog().warn("ignored {}: no job is configured", command.getClass().getSimpleName());
    return this;
  }
}
