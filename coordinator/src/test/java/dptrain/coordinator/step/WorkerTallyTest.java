package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WorkerTallyTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Address SELF = new Address("akka", "dptrain", "10.0.0.1", 25520);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static StepDispatcher.Assignment by(TestProbe<WorkerProtocol.Command> worker, int microBatch) {
    return new StepDispatcher.Assignment(worker.ref(), new WorkerProtocol.Compute(0, microBatch, 3, new int[0], 0.1));
  }

  @Test
  void countsEachNodesMicroBatchesAndTheirTimeAndOffersThemAtMostOncePerIntervalUnlessAsked() {
    AtomicLong now = new AtomicLong();
    WorkerTally tally = new WorkerTally(SELF, Duration.ofSeconds(2), now::get);
    TestProbe<WorkerProtocol.Command> local = KIT.createTestProbe();

    tally.completed(List.of(by(local, 0), by(local, 1)), List.of(1_000L, 3_000L), List.of(), null, 0);
    assertThat(tally.offer(false)).as("before the interval").isEmpty();
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(tally.offer(false)).contains(Map.of("akka://dptrain@10.0.0.1:25520", new WorkerWork(2, 4_000)));
    assertThat(tally.offer(true)).as("nothing new").isEmpty();

    tally.completed(List.of(by(local, 0)), List.of(500L), List.of(), null, 0);
    assertThat(tally.offer(true)).as("a pause asks at once")
        .contains(Map.of("akka://dptrain@10.0.0.1:25520", new WorkerWork(3, 4_500)));
  }

  @Test
  void aMicroBatchTheShardsDidNotCountIsCountedAsDroppedNotComputedForItsWorker() {
    WorkerTally tally = new WorkerTally(SELF, Duration.ZERO, System::nanoTime);
    TestProbe<WorkerProtocol.Command> local = KIT.createTestProbe();

    // A backup step closed without micro-batch 1: the shards saw no time for it.
    tally.completed(List.of(by(local, 0), by(local, 1), by(local, 2)), List.of(2_000L, 0L, 2_000L), List.of(), null, 0);

    assertThat(tally.offer(true)).contains(Map.of("akka://dptrain@10.0.0.1:25520", new WorkerWork(2, 4_000, 0, 1)));
  }

  @Test
  void theNodeAStepWaitedOnIsTheOneWhoseLastMicroBatchCameLastByItsLeadOverTheNextLatest() {
    var wait = WorkerTally.waitOf(Map.of("a", 3_000_000L, "b", 45_000_000L, "c", 5_000_000L));

    assertThat(wait).contains(new StragglerWatch.Wait("b", 40_000_000L));
    assertThat(WorkerTally.waitOf(Map.of("a", 3_000_000L))).as("one node waits on nobody").isEmpty();
  }
}
