package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import dptrain.protocol.CoordinatorProtocol.StepDone;
import dptrain.protocol.WorkerProtocol;
import dptrain.protocol.WorkerProtocol.Compute;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The step loop's bookkeeping alone: the ledger of micro-batches, the tally of shard reports, backup closing. */
class StepBookkeepingTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private final TestProbe<WorkerProtocol.Command> a = KIT.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = KIT.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> c = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static Compute compute(long step, int microBatch, int microBatches) {
    return new Compute(step, microBatch, microBatches, new int[] {microBatch}, 0.1);
  }

  private MicroBatchLedger ledgerOfTwoSteps() {
    var ledger = new MicroBatchLedger();
    ledger.record(0, List.of(new StepDispatcher.Assignment(a.ref(), compute(0, 0, 2)),
        new StepDispatcher.Assignment(b.ref(), compute(0, 1, 2))));
    ledger.record(1, List.of(new StepDispatcher.Assignment(a.ref(), compute(1, 0, 2)),
        new StepDispatcher.Assignment(b.ref(), compute(1, 1, 2))));
    return ledger;
  }

  @Test
  void aLostWorkersMicroBatchesOfEveryStepInFlightGoToTheLiveWorkersRoundRobin() {
    var ledger = ledgerOfTwoSteps();

    int moved = ledger.reassignFrom(b.ref(), List.of(a.ref(), c.ref()));

    assertThat(moved).isEqualTo(2);
    assertThat(a.expectMessageClass(Compute.class).step()).isZero();
    assertThat(c.expectMessageClass(Compute.class).step()).isEqualTo(1);
    assertThat(ledger.microBatches(1)).isEqualTo(2);
    ledger.complete(0);
    assertThat(ledger.microBatches(0)).as("a completed step is forgotten").isZero();
    assertThat(ledger.reassignFrom(b.ref(), List.of(a.ref()))).as("b holds nothing any more").isZero();
  }

  @Test
  void aResentStepGoesEachMicroBatchToTheNextWorker() {
    var ledger = ledgerOfTwoSteps();

    assertThat(ledger.resend(0, List.of(a.ref(), b.ref()))).isEqualTo(2);

    assertThat(b.expectMessageClass(Compute.class).microBatch()).isZero();
    assertThat(a.expectMessageClass(Compute.class).microBatch()).isEqualTo(1);
    assertThat(ledger.resend(7, List.of(a.ref()))).as("a step not in flight").isZero();
  }

  @Test
  void aRefusalMovesOnlyTheMicroBatchStillHeldByItsSenderAndGivesUpAfterFourTries() {
    var ledger = ledgerOfTwoSteps();
    var live = List.of(a.ref(), b.ref());

    assertThat(ledger.reassignRefused(0, 0, a.ref(), live)).contains(b.ref());
    assertThat(ledger.reassignRefused(0, 0, a.ref(), live)).as("another shard's refusal of the same message").isEmpty();
    assertThat(ledger.reassignRefused(0, 0, b.ref(), live)).contains(a.ref());
    assertThat(ledger.reassignRefused(0, 0, a.ref(), live)).contains(b.ref());
    assertThat(ledger.reassignRefused(0, 0, b.ref(), live)).contains(a.ref());
    assertThatThrownBy(() -> ledger.reassignRefused(0, 0, a.ref(), live)).hasMessage(
        "micro-batch 0 of step 0 was refused 5 times; giving up");
  }

  @Test
  void theTallyCountsEachStepApartAndMergesItsReports() {
    var tally = new StepTally();
    tally.add(new StepDone(0, 1, 8, 2.0, false, 0, 3, 100));
    tally.add(new StepDone(1, 0, 8, 2.0, false, 0, 0, 50));
    tally.add(new StepDone(1, 1, 8, 2.0, true, 0, 5, 60));

    assertThat(tally.count(0)).isEqualTo(1);
    assertThat(tally.count(1)).isEqualTo(2);
    var merged = tally.take(1);
    assertThat(merged.skipped()).as("skipped when any shard skipped").isTrue();
    assertThat(merged.staleness()).as("the worst").isEqualTo(5);
    assertThat(merged.bytes()).as("summed over the shards").isEqualTo(160);
    assertThat(merged.sampleCount()).isEqualTo(8);
    assertThat(tally.count(1)).isZero();
  }

  @Test
  void aShardsRepeatedReportCountsOnceAndKeepsWhenItFirstCame() {
    var tally = new StepTally();
    tally.add(new StepDone(0, 3, 8, 2.0, false, 0, 0, 10));
    tally.add(new StepDone(0, 3, 8, 2.0, false, 0, 0, 10));

    assertThat(tally.count(3)).isEqualTo(1);
    assertThat(tally.reported(3, 0)).isTrue();
    assertThat(tally.reported(3, 1)).isFalse();
    assertThat(tally.lateness(3)).as("one shard so far").isNull();
    tally.add(new StepDone(1, 3, 8, 2.0, false, 0, 0, 10));
    assertThat(tally.lateness(3).shard()).isEqualTo(1);
    assertThat(tally.take(3).bytes()).as("each shard's once").isEqualTo(20);
  }

  @Test
  void aBackupStepClosesOnceWithTheFirstMicroBatchesPushedAndCountsTheRestDropped() {
    var backup = new BackupClosing(1);

    assertThat(backup.pushed(4, 2, 3)).isEmpty();
    var close = backup.pushed(4, 0, 3).orElseThrow();
    assertThat(close.included()).containsExactly(2, 0);
    assertThat(backup.pushed(4, 1, 3)).as("the late one").isEmpty();
    assertThat(backup.droppedFrom(4)).isEqualTo(1);
    assertThat(backup.droppedFrom(4)).as("forgotten after it is read").isNull();
    assertThat(backup.pushed(5, 0, 0)).as("a step not in flight").isEmpty();
  }
}
