package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dptrain.coordinator.plan.Schedule;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Micro-batches handed to free workers; under SSP no worker runs ahead of the slowest by more than the bound. */
class AsyncSchedulerTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private final TestProbe<WorkerProtocol.Command> fast = KIT.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> slow = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private AsyncScheduler scheduler(Integer staleness) {
    // 40 rows, batches of 8: five steps per epoch, each cut into two micro-batches of 4 rows.
    var schedule = Schedule.of(40, 8, 1, 0);
    var plan = new StepDispatcher(schedule, 1, 40, 8, true, List.of(fast.ref(), slow.ref()), 0, step -> 0.1, null);
    var scheduler = new AsyncScheduler(plan, List.of(fast.ref(), slow.ref()), staleness, 0);
    scheduler.allowUntil(5);
    return scheduler;
  }

  private static StepDone applied(WorkerProtocol.Compute compute) {
    return new StepDone(0, compute.step(), compute.indices().length, 1.0, false, 0, 0);
  }

  @Test
  void withStalenessZeroTheFastWorkerWaitsForTheSlowOne() {
    var scheduler = scheduler(0);
    scheduler.fill();
    var first = fast.expectMessageClass(WorkerProtocol.Compute.class);
    var second = slow.expectMessageClass(WorkerProtocol.Compute.class);
    fast.expectNoMessage(Duration.ofMillis(50));

    assertThat(scheduler.ticketDone(applied(first))).isEmpty();
    scheduler.fill();
    fast.expectNoMessage(Duration.ofMillis(50)); // one ahead of the slowest already

    var finished = scheduler.ticketDone(applied(second));
    scheduler.fill();
    assertThat(finished).singleElement().satisfies(step -> {
      assertThat(step.step()).isZero();
      assertThat(step.sampleCount()).isEqualTo(8);
    });
    fast.expectMessageClass(WorkerProtocol.Compute.class);
    slow.expectMessageClass(WorkerProtocol.Compute.class);
    assertThat(scheduler.maxLead()).as("no worker was given a ticket while ahead of the slowest").isZero();
  }

  @Test
  void plainAsyncKeepsEveryWorkerBusyWithTwoMicroBatchesAndReleasesStepsInOrder() {
    var scheduler = scheduler(null);
    scheduler.fill();
    var a = fast.expectMessageClass(WorkerProtocol.Compute.class);
    var c = fast.expectMessageClass(WorkerProtocol.Compute.class);
    var b = slow.expectMessageClass(WorkerProtocol.Compute.class);
    var d = slow.expectMessageClass(WorkerProtocol.Compute.class);

    // Step 1's micro-batches (c, d) finish first: nothing is released before step 0 is done.
    assertThat(scheduler.ticketDone(applied(c))).isEmpty();
    assertThat(scheduler.ticketDone(applied(d))).isEmpty();
    assertThat(scheduler.ticketDone(applied(a))).isEmpty();
    assertThat(scheduler.ticketDone(applied(b))).extracting(StepDone::step).containsExactly(0L, 1L);
    assertThat(scheduler.ticketsDone()).isEqualTo(4);
    assertThat(scheduler.maxLead()).as("each got its second ticket one ahead").isEqualTo(1);
  }
}
