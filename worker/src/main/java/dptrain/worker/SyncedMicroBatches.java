package dptrain.worker;

import akka.actor.typed.ActorRef;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.WorkerProtocol.Compute;
import dptrain.worker.model.DropoutMasks;
import dptrain.worker.model.Mlp;
import dptrain.worker.model.ParameterViews;
import dptrain.worker.model.SyncedPass;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The micro-batches of one step this worker is computing under synchronised batch norm: each a
 * {@link SyncedPass} that sends its sums to the Coordinator's meeting point and waits for the
 * step's totals as a message, so two micro-batches of a step on one worker (a re-sent one, say)
 * wait side by side instead of the first blocking the worker while the meeting waits for the
 * second.
 */
final class SyncedMicroBatches {
  /** A micro-batch whose pass is done: its gradient (give it back with {@link #recycle}) and summed loss. */
  record Finished(Compute compute, ParameterViews gradient, double lossSum) {}

  private static final class InFlight {
    final Compute compute;
    final SyncedPass pass;
    final ParameterViews gradient;

    InFlight(Compute compute, SyncedPass pass, ParameterViews gradient) {
      this.compute = compute;
      this.pass = pass;
      this.gradient = gradient;
    }
  }

  private final Mlp model;
  private final WorkerProtocol.Configure job;
  private final dptrain.worker.data.Dataset train;
  private final ActorRef<WorkerProtocol.Command> self;
  private final List<InFlight> inFlight = new ArrayList<>();
  private final ArrayDeque<ParameterViews> spareGradients = new ArrayDeque<>();

  SyncedMicroBatches(Mlp model, WorkerProtocol.Configure job, dptrain.worker.data.Dataset train,
      ActorRef<WorkerProtocol.Command> self) {
    this.model = model;
    this.job = job;
    this.train = train;
    this.self = self;
  }

  boolean busy() {
    return !inFlight.isEmpty();
  }

  /** The step of the micro-batches in flight (only while {@link #busy}). */
  long step() {
    return inFlight.get(0).compute.step();
  }

  /** Whether {@code compute}'s micro-batch is in flight here already (a repeat). */
  boolean holds(Compute compute) {
    return inFlight.stream().anyMatch(f -> f.compute.step() == compute.step() && f.compute.microBatch() == compute.microBatch());
  }

  /** Starts {@code compute}'s pass at {@code params} and sends its first sums; empty while it waits. */
  Optional<Finished> start(Compute compute, ParameterViews params) {
    if (busy() && compute.step() != step()) {
      throw new IllegalStateException("step " + compute.step() + " while step " + step() + " is in flight");
    }
    ParameterViews gradient = spareGradients.isEmpty() ? model.allocate() : spareGradients.pop();
    SyncedPass pass = model.syncedGradient(params, train, compute.indices(), gradient,
        new DropoutMasks(job.data().seed(), compute.step()));
    var flight = new InFlight(compute, pass, gradient);
    inFlight.add(flight);
    return advance(flight, pass.start());
  }

  /**
   * The step's totals for one layer and phase: resumes the first pass that waits for them (the
   * meeting answers each waiting micro-batch with its own copy) and returns it if it finished.
   */
  Optional<Finished> accept(WorkerProtocol.MomentsTotal total) {
    for (InFlight flight : inFlight) {
      SyncedPass.NeedsTotals waits = flight.pass.waiting();
      if (flight.compute.step() == total.step() && waits != null && waits.layer() == total.layer()
          && waits.phase() == total.phase()) {
        return advance(flight, flight.pass.resume(total.sums()));
      }
    }
    return Optional.empty();
  }

  /** A finished micro-batch's gradient, once pushed. */
  void recycle(ParameterViews gradient) {
    spareGradients.push(gradient);
  }

  private Optional<Finished> advance(InFlight flight, SyncedPass.Progress progress) {
    if (progress instanceof SyncedPass.Done done) {
      inFlight.remove(flight);
      return Optional.of(new Finished(flight.compute, flight.gradient, done.lossSum()));
    }
    var needs = (SyncedPass.NeedsTotals) progress;
    job.coordinator().tell(new CoordinatorProtocol.BatchMoments(flight.compute.step(), needs.layer(), needs.phase(),
        flight.compute.microBatch(), flight.compute.microBatches(), needs.local(), self.narrow()));
    return Optional.empty();
  }
}
