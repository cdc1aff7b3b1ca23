package dptrain.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.ps.ParameterShard;
import dptrain.coordinator.ps.ShardRanges;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.worker.model.Activation;
import dptrain.worker.model.Initializer;
import dptrain.worker.model.ParameterLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The job's parameter server: the layout, the initial vector (seeded, or given), and one shard
 * per balanced range, each with its own optimizer state. Initialisation happens once, here.
 */
final class JobResources {
  private final JobSettings settings;
  private final ParameterLayout layout;
  private final List<ActorRef<ShardProtocol.Command>> shards = new ArrayList<>();
  private final List<ShardAddress> addresses = new ArrayList<>();

  JobResources(JobSettings settings) {
    this.settings = settings;
    this.layout = new ParameterLayout(settings.model().widths());
  }

  ParameterLayout layout() {
    return layout;
  }

  List<ActorRef<ShardProtocol.Command>> shards() {
    return shards;
  }

  void spawnShards(ActorContext<CoordinatorProtocol.Command> context) {
    float[] initial = settings.initialParameters() != null
        ? settings.initialParameters()
        : Initializer.initialParameters(layout, Activation.fromName(settings.model().hiddenActivation()),
            Activation.fromName(settings.model().outputActivation()), settings.seed());
    if (initial.length != layout.size()) {
      throw new IllegalArgumentException("initial parameters hold " + initial.length + " values; the model has " + layout.size());
    }
    var ranges = ShardRanges.split(layout.size(), settings.psShards());
    for (int s = 0; s < ranges.size(); s++) {
      var range = ranges.get(s);
      float[] slice = Arrays.copyOfRange(initial, (int) range.offset(), (int) (range.offset() + range.length()));
      ActorRef<ShardProtocol.Command> shard = context.spawn(ParameterShard.create(s, range.offset(), slice,
          settings.optimizer(), context.getSelf(), settings.maxChunkFloats()), "shard-" + s);
      shards.add(shard);
      addresses.add(new ShardAddress(shard, range.offset(), range.length()));
    }
  }

  WorkerProtocol.Configure configureFor(ActorRef<CoordinatorProtocol.Command> coordinator) {
    return new WorkerProtocol.Configure(settings.jobId(), settings.model(), settings.data(), addresses, coordinator,
        settings.evalBatch(), settings.maxChunkFloats());
  }

  void startShards(List<ActorRef<WorkerProtocol.Command>> workers) {
    shards.forEach(shard -> shard.tell(new ParameterShard.Start(workers)));
  }
}
