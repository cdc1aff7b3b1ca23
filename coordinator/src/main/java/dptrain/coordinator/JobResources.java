package dptrain.coordinator;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import dptrain.coordinator.job.JobSettings;
import dptrain.ps.ShardRanges;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.FlatArray;
import dptrain.worker.model.Activation;
import dptrain.worker.model.Initializer;
import dptrain.worker.model.ParameterLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import dptrain.coordinator.checkpoint.RunFolder;
import dptrain.coordinator.generation.GenerationReport;
import dptrain.coordinator.generation.GenerationSetup;
import dptrain.coordinator.job.DataRows;
import dptrain.coordinator.metrics.MetricsLog;
import dptrain.coordinator.plan.Schedule;
import dptrain.coordinator.progress.RunTotals;

/**
 * What the job's parameter server is made of: the layout, the initial vector (seeded, or
 * given; computed once, here), the balanced ranges of the shards, and where each shard runs.
 */
final class JobResources {
  private final JobSettings settings;
  private final ParameterLayout layout;
  private FlatArray initial;
  private dptrain.coordinator.checkpoint.Checkpoint resume;
  private int generation;

  JobResources(JobSettings settings) {
    this.settings = settings;
    this.layout = new ParameterLayout(settings.model());
    this.resume = settings.checkpointing().resumeFrom();
  }

  /**
   * After a shard was lost: the next shards start from {@code checkpoint} (null: from the very
   * start) as a new generation, whose messages the workers and the Coordinator tell from the old one's.
   */
  void rollBackTo(dptrain.coordinator.checkpoint.Checkpoint checkpoint) {
    resume = checkpoint;
    generation++;
  }

  int generation() {
    return generation;
  }

  /** The job's id for this generation of shards (a shard host replaces the shards of another id). */
  String jobId() {
    return generation == 0 ? settings.jobId() : settings.jobId() + "-g" + generation;
  }

  ParameterLayout layout() {
    return layout;
  }

  /**
   * One host per shard: with placement {@code workers}, shard s runs on the node of worker
   * s mod W, next to the workers (no serialization between a worker and the shards on its node);
   * with {@code coordinator}, every shard runs on the Coordinator's node. Empty while a needed
   * host has not registered yet.
   */
  Optional<List<ActorRef<ShardHostProtocol.Command>>> hostsFor(List<ActorRef<WorkerProtocol.Command>> workers,
      Collection<ActorRef<ShardHostProtocol.Command>> hosts, Address selfAddress) {
    List<ActorRef<ShardHostProtocol.Command>> chosen = new ArrayList<>();
    for (int s = 0; s < settings.psShards(); s++) {
      Address wanted = settings.psOnWorkers() ? addressOf(workers.get(s % workers.size()), selfAddress) : selfAddress;
      Optional<ActorRef<ShardHostProtocol.Command>> host = hosts.stream()
          .filter(h -> addressOf(h, selfAddress).equals(wanted))
          .findFirst();
      if (host.isEmpty()) {
        return Optional.empty();
      }
      chosen.add(host.get());
    }
    return Optional.of(chosen);
  }

  /** The starting point: a checkpoint's, given, or seeded (computed once). */
  FlatArray initial() {
    if (resume != null) {
      return resume.parameters();
    }
    if (initial == null) {
      initial = computeInitial();
    }
    return initial;
  }

  /** The checkpoint the job resumes from, or null. */
  dptrain.coordinator.checkpoint.Checkpoint resumeFrom() {
    return resume;
  }

  /** Why the checkpoint cannot continue this job (another cut of the vector, another model), or null. */
  String resumeMismatch() {
    var checkpoint = resumeFrom();
    if (checkpoint == null) {
      return null;
    }
    if (checkpoint.shards() != settings.psShards() || checkpoint.pieceFloats() != pieceElements()) {
      return "the checkpoint was written with " + checkpoint.shards() + " shard(s) of " + checkpoint.pieceFloats()
          + "-value pieces; this job has " + settings.psShards() + " of " + pieceElements() + " (resume with --ps-shards "
          + checkpoint.shards() + ")";
    }
    if (checkpoint.parameters().length() != layout.size() || checkpoint.parameters().precision() != settings.optimization().precision()) {
      return "the checkpoint holds " + checkpoint.parameters().length() + " " + checkpoint.parameters().precision().cliName()
          + " parameters; the model has " + layout.size() + " " + settings.optimization().precision().cliName();
    }
    if (checkpoint.state().size() != optimizerSlots() - 1) {
      return "the checkpoint holds " + checkpoint.state().size() + " optimizer state array(s); "
          + settings.optimization().optimizer().name() + " keeps " + (optimizerSlots() - 1);
    }
    return null;
  }

  /** 1 (the parameters) plus the optimizer's state arrays: what a checkpoint collects from each piece. */
  int optimizerSlots() {
    var spec = settings.optimization().optimizer();
    return spec.fullBatch() ? 1
        : 1 + dptrain.ps.optim.Optimizers.create(spec, FlatArray.zeros(settings.optimization().precision(), 1)).state().size();
  }

  private FlatArray computeInitial() {
    var optimization = settings.optimization();
    FlatArray initial = settings.initialParameters() != null
        ? settings.initialParameters()
        : FlatArray.of(optimization.precision(), Initializer.initialParameters(layout,
            Initializer.initHints(layout, settings.model().isMultitask() ? Activation.IDENTITY
                : Activation.fromName(settings.model().outputActivation())),
            settings.seed(), settings.initialization().weights(), settings.initialization().biases()));
    if (initial.length() != layout.size() || initial.precision() != optimization.precision()) {
      throw new IllegalArgumentException("initial parameters hold " + initial.length() + " " + initial.precision().cliName()
          + " values; the model has " + layout.size() + " " + optimization.precision().cliName() + " parameters");
    }
    return initial;
  }

  ShardPlacement.Plan placementPlan(List<ActorRef<ShardHostProtocol.Command>> hosts) {
    var optimization = settings.optimization();
    return new ShardPlacement.Plan(jobId(), generation, settings.consistency().mode(), hosts, ShardRanges.split(layout.size(), settings.psShards()),
        initial(), optimization.optimizer(), optimization.regularization().rulesFor(layout, settings.seed()).withStatistics(layout.statistics())
            .freezing(settings.rbfStage().equals("output") ? layout.rbfRanges() : List.of()),
        pieceElements(), resumeFrom() == null ? List.of() : resumeFrom().state(),
        resumeFrom() == null ? java.util.Map.of() : resumeFrom().counters());
  }

  WorkerProtocol.Configure configureFor(ActorRef<CoordinatorProtocol.Command> coordinator, List<ShardAddress> shards) {
    return new WorkerProtocol.Configure(jobId(), settings.model(), settings.data(), shards, coordinator,
        settings.evalBatch(), pieceElements(), settings.optimization().precision(), generation, settings.consistency().mode(),
        settings.compression().text());
  }

  /** Values per chunk: the configured float32 count, halved for float64, so a chunk's bytes stay under one frame. */
  int pieceElements() {
    return settings.maxChunkFloats() * Float.BYTES / settings.optimization().precision().bytes();
  }

  /** What the current generation trains: from the checkpoint the job resumes (or rolled back) to, or from the start. */
  GenerationSetup generationSetup(List<ShardAddress> shards, DataRows rows, List<ActorRef<WorkerProtocol.Command>> workers,
      RunFolder runFolder, ActorRef<MetricsLog.Record> metrics, RunTotals totals, ActorRef<GenerationReport> replyTo) {
    return new GenerationSetup(settings, schedule(rows), rows, shards, (int) layout.size(), optimizerSlots(), pieceElements(),
        workers, Optional.ofNullable(resume), runFolder, metrics, totals, replyTo);
  }

  private Schedule schedule(DataRows rows) {
    return Schedule.of(rows.train(), settings.effectiveBatch(rows.train()), settings.epochs(), settings.steps(),
        settings.evalEvery(), settings.evalSteps());
  }

  /** Why the checkpoint the job resumes from leaves it nothing to train on these rows, or null. */
  String nothingLeftAfterResume(DataRows rows) {
    long total = schedule(rows).totalSteps();
    if (resume == null || resume.step() < total) {
      return null;
    }
    return "cannot resume: the checkpoint is after step " + resume.step() + " and this job has " + total
        + " step(s), so nothing is left to train (ask for more with --epochs or --steps)";
  }

    static Address addressOf(ActorRef<?> ref, Address selfAddress) {
    Address address = ref.path().address();
    return address.hasLocalScope() ? selfAddress : address;
  }
}
