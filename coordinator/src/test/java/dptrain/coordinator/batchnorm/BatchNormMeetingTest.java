package dptrain.coordinator.batchnorm;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dptrain.protocol.CoordinatorProtocol.BatchMoments;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.job.BatchNormPhase;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The synchronised batch-norm meeting point answers every micro-batch with the totals once all are in. */
class BatchNormMeetingTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void everyMicroBatchHearsTheTotalsOnlyOnceTheLastArrivedAndAResentPartCountsOnce() {
    var meeting = KIT.spawn(BatchNormMeeting.create());
    TestProbe<WorkerProtocol.MomentsTotal> first = KIT.createTestProbe();
    TestProbe<WorkerProtocol.MomentsTotal> second = KIT.createTestProbe();

    meeting.tell(new BatchMoments(3, 0, BatchNormPhase.FORWARD, 1, 2, new double[] {1, 2, 3}, second.ref()));
    meeting.tell(new BatchMoments(3, 0, BatchNormPhase.FORWARD, 1, 2, new double[] {1, 2, 3}, second.ref()));
    meeting.tell(new BatchMoments(3, 0, BatchNormPhase.BACKWARD, 0, 2, new double[] {9, 9}, first.ref()));
    first.expectNoMessage();
    meeting.tell(new BatchMoments(3, 0, BatchNormPhase.FORWARD, 0, 2, new double[] {10, 20, 30}, first.ref()));

    for (var probe : new TestProbe[] {first, second}) {
      var total = (WorkerProtocol.MomentsTotal) probe.receiveMessage();
      assertThat(total.step()).isEqualTo(3);
      assertThat(total.phase()).isEqualTo(BatchNormPhase.FORWARD);
      assertThat(total.sums()).containsExactly(11, 22, 33);
    }
    first.expectNoMessage();
    second.expectNoMessage();
  }

  @Test
  void aCopyOfAMicroBatchReSentToAnotherWorkerIsAnsweredWhetherItComesBeforeOrAfterTheMeetingCloses() {
    var meeting = KIT.spawn(BatchNormMeeting.create());
    TestProbe<WorkerProtocol.MomentsTotal> owner = KIT.createTestProbe();
    TestProbe<WorkerProtocol.MomentsTotal> early = KIT.createTestProbe();
    TestProbe<WorkerProtocol.MomentsTotal> late = KIT.createTestProbe();
    TestProbe<WorkerProtocol.MomentsTotal> other = KIT.createTestProbe();

    meeting.tell(new BatchMoments(5, 1, BatchNormPhase.BACKWARD, 0, 2, new double[] {1, 1}, owner.ref()));
    meeting.tell(new BatchMoments(5, 1, BatchNormPhase.BACKWARD, 0, 2, new double[] {1, 1}, early.ref()));
    early.expectNoMessage();
    meeting.tell(new BatchMoments(5, 1, BatchNormPhase.BACKWARD, 1, 2, new double[] {2, 3}, other.ref()));
    meeting.tell(new BatchMoments(5, 1, BatchNormPhase.BACKWARD, 1, 2, new double[] {2, 3}, late.ref()));

    for (var probe : List.of(owner, early, other, late)) {
      assertThat(probe.receiveMessage().sums()).containsExactly(3, 4);
    }
  }
}
