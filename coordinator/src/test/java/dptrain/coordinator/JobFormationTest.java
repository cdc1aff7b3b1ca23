package dptrain.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import dptrain.coordinator.job.Checkpointing;
import dptrain.coordinator.job.Consistency;
import dptrain.coordinator.job.EarlyStoppingSpec;
import dptrain.coordinator.job.Initialization;
import dptrain.coordinator.job.JobSettings;
import dptrain.coordinator.job.Optimization;
import dptrain.coordinator.job.Regularization;
import dptrain.coordinator.lr.LrScheduleSpec;
import dptrain.protocol.CoordinatorProtocol;
import dptrain.protocol.ShardHostProtocol;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.CompressionSpec;
import dptrain.protocol.job.DataSpec;
import dptrain.protocol.job.ModelSpec;
import dptrain.protocol.job.OptimizerSpec;
import dptrain.protocol.tensor.Precision;
import dptrain.ps.ShardHost;
import dptrain.worker.Worker;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Forming a job on a real one-node cluster: probes register as workers and as a shard host with
 * the receptionist, the probe parent hears the formation's outcome.
 */
class JobFormationTest {
  private static final ActorTestKit KIT = ActorTestKit.create("formation", ConfigFactory.parseString("""
      akka.actor.provider = cluster
      akka.remote.artery.canonical.hostname = 127.0.0.1
      akka.remote.artery.canonical.port = 0
      akka.cluster.jmx.multi-mbeans-in-same-jvm = on
      dptrain.coordinator.waiting-report-every = 500ms
      """).withFallback(ConfigFactory.load()));

  static {
    var cluster = Cluster.get(KIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
  }

  private final TestProbe<JobFormation.Outcome> parent = KIT.createTestProbe();
  private final TestProbe<CoordinatorProtocol.Command> coordinator = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static JobSettings settings(String jobId, int workers, Duration readyTimeout) {
    var optimization = new Optimization(OptimizerSpec.of("sgd", Map.of("lr", 0.1)), LrScheduleSpec.CONSTANT,
        new Regularization(List.of(0.0), List.of(0.0), List.of(0.0), false, 0, 0, 0, 0), Precision.FLOAT32);
    return new JobSettings(jobId, new ModelSpec(List.of(2, 3, 2), "tanh", "softmax", "ce"),
        new DataSpec("synthetic:xor", 1, 1), optimization, 4, 1, 0, false, workers, 1, 1, null, Initialization.DEFAULT,
        null, 100, 1, 1024, Duration.ofSeconds(20), readyTimeout, 1, false, 0, 0, EarlyStoppingSpec.NONE, "", null,
        Checkpointing.NONE, Duration.ofSeconds(5), Consistency.SYNC, CompressionSpec.parse("none"), List.of());
  }

  private ActorRef<JobFormation.Command> form(JobSettings settings) {
    var self = Cluster.get(KIT.system()).selfMember().address();
    return KIT.spawn(JobFormation.create(new JobFormation.Setup(settings, new JobResources(settings), List.of(), Set.of(),
        ref -> JobResources.addressOf(ref, self), self, coordinator.ref(), parent.ref())));
  }

  private TestProbe<WorkerProtocol.Command> registeredWorker() {
    TestProbe<WorkerProtocol.Command> worker = KIT.createTestProbe();
    KIT.system().receptionist().tell(Receptionist.register(Worker.SERVICE_KEY, worker.ref()));
    return worker;
  }

  @Test
  void enoughListedWorkersGetTheShardsPlacedAndAreConfiguredUntilAllAreReady() {
    TestProbe<ShardHostProtocol.Command> host = KIT.createTestProbe();
    TestProbe<ShardProtocol.Command> shard = KIT.createTestProbe();
    KIT.system().receptionist().tell(Receptionist.register(ShardHost.SERVICE_KEY, host.ref()));
    var workers = List.of(registeredWorker(), registeredWorker());
    var formation = form(settings("formed", 2, Duration.ofSeconds(30)));

    var hostShard = host.expectMessageClass(ShardHostProtocol.HostShard.class, Duration.ofSeconds(10));
    assertThat(hostShard.length()).as("the 2-3-2 model's 17 parameters in one shard").isEqualTo(17);
    hostShard.replyTo().tell(new CoordinatorProtocol.ShardHosted(hostShard.jobId(), 0, shard.ref()));
    assertThat(shard.expectMessageClass(ShardProtocol.LoadParameters.class).chunk().length()).isEqualTo(17);
    for (var worker : workers) {
      var configure = worker.expectMessageClass(WorkerProtocol.Configure.class);
      assertThat(configure.shards()).singleElement().satisfies(s -> assertThat(s.shard()).isEqualTo(shard.ref()));
      assertThat(configure.coordinator()).isEqualTo(coordinator.ref());
    }
    // An answer to another generation's Configure (one a roll-back overtook) is not this formation's.
    formation.tell(new JobFormation.Ready(new CoordinatorProtocol.WorkerReady(workers.get(1).ref(), 3, 4, 4)));
    formation.tell(new JobFormation.Ready(new CoordinatorProtocol.WorkerReady(workers.get(0).ref(), 0, 4, 4)));
    parent.expectNoMessage(Duration.ofMillis(200));
    formation.tell(new JobFormation.Ready(new CoordinatorProtocol.WorkerReady(workers.get(1).ref(), 0, 4, 4)));

    var formed = (JobFormation.Formed) parent.receiveMessage();
    assertThat(formed.rows().train()).isEqualTo(4);
    assertThat(formed.workers()).as("in the order of their paths, which every step's cut follows")
        .containsExactlyElementsOf(workers.stream().map(TestProbe::ref)
            .sorted(Comparator.comparing(ref -> ref.path().toString())).toList());
  }

  @Test
  void tooFewWorkersFailTheFormationAtItsDeadlineNamingWhatCame() {
    form(settings("too-few", 50, Duration.ofSeconds(3)));

    var failed = (JobFormation.NotFormed) parent.receiveMessage(Duration.ofSeconds(10));

    assertThat(failed.reason()).startsWith("only ").contains("of 50 worker(s)").contains("joined within 3 s");
  }

  @Test
  void whileItWaitsItSaysWhoIsMissing() {
    var self = Cluster.get(KIT.system()).selfMember().address();
    registeredWorker();

    LoggingTestKit.info("waiting for workers: ").withMessageRegex(
        "waiting for workers: \\d+ of 50 worker\\(s\\) joined; missing: worker@10\\.9\\.9\\.8:25520 \\(last seen never\\);"
            + " giving up in \\d+ s").expect(KIT.system(), () -> form(settings("reporting", 50, Duration.ofSeconds(30))
        .withExpectedWorkers(List.of(self.getHost().get() + ":" + self.getPort().get(), "10.9.9.8:25520"))));
  }

  @Test
  void aDeadlineMissedNamesEachExpectedNodeThatNeverJoined() {
    var self = Cluster.get(KIT.system()).selfMember().address();
    registeredWorker();
    // More than this JVM's probes can ever be, so the deadline comes whatever the other tests registered.
    form(settings("one-missing", 50, Duration.ofSeconds(3))
        .withExpectedWorkers(List.of(self.getHost().get() + ":" + self.getPort().get(), "10.9.9.9:25520")));

    var failed = (JobFormation.NotFormed) parent.receiveMessage(Duration.ofSeconds(10));

    assertThat(failed.reason()).endsWith("joined within 3 s; missing: worker@10.9.9.9:25520 (last seen never)");
  }
}
