package dptrain.coordinator.round;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dptrain.protocol.CoordinatorProtocol.Evaluated;
import dptrain.protocol.CoordinatorProtocol.WorkerFailed;
import dptrain.protocol.WorkerProtocol;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One evaluation round over two workers, with probes for the workers and the parent; time is manual. */
class EvaluationRoundTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime TIME = ManualTime.get(KIT.system());

  private final TestProbe<WorkerProtocol.Command> a = KIT.createTestProbe();
  private final TestProbe<WorkerProtocol.Command> b = KIT.createTestProbe();
  private final TestProbe<EvaluationRound.Outcome> parent = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private void start(int rows) {
    KIT.spawn(EvaluationRound.create(List.of(a.ref(), b.ref()), 7, rows, true, Duration.ofSeconds(5), parent.ref()));
  }

  @Test
  void eachWorkerEvaluatesAContiguousRangeAndTheRoundSumsTheirResults() {
    start(10);
    var first = a.expectMessageClass(WorkerProtocol.Evaluate.class);
    var second = b.expectMessageClass(WorkerProtocol.Evaluate.class);
    assertThat(List.of(first.from(), first.to(), second.from(), second.to())).containsExactly(0, 5, 5, 10);
    assertThat(first.version()).isEqualTo(7);

    first.replyTo().tell(new Evaluated(a.ref(), 7, 2.0, 4, 5));
    TIME.expectNoMessageFor(Duration.ofMillis(50), parent);
    second.replyTo().tell(new Evaluated(b.ref(), 7, 3.0, 3, 5));

    var result = parent.expectMessageClass(EvaluationRound.Succeeded.class).result();
    assertThat(result.meanLoss()).isEqualTo(0.5);
    assertThat(result.accuracy()).isEqualTo(0.7);
    assertThat(result.validation()).isTrue();
  }

  @Test
  void aWorkerThatFailsFailsTheRound() {
    start(10);
    var evaluate = a.expectMessageClass(WorkerProtocol.Evaluate.class);

    evaluate.replyTo().tell(new WorkerFailed(a.ref(), "no test data"));

    assertThat(parent.expectMessageClass(EvaluationRound.Failed.class).reason()).contains("failed to evaluate: no test data");
  }

  @Test
  void aRoundThatHearsNothingFailsAtItsTimeoutNamingWhatItWaitedFor() {
    start(1); // one row: only the first worker is asked
    a.expectMessageClass(WorkerProtocol.Evaluate.class);
    b.expectNoMessage(Duration.ofMillis(50));

    TIME.timePasses(Duration.ofSeconds(5));

    assertThat(parent.expectMessageClass(EvaluationRound.Failed.class).reason())
        .isEqualTo("evaluation of version 7 timed out waiting for 1 worker(s): [" + a.ref().path().address() + "]");
  }

  @Test
  void aWorkerThatHasNotAnsweredIsAskedAgainTheShardsRepublishAndADoubledReplyCountsOnce() {
    TestProbe<dptrain.protocol.ShardProtocol.Command> shard = KIT.createTestProbe();
    KIT.spawn(EvaluationRound.create(List.of(a.ref(), b.ref()), 7, 10, false, Duration.ofSeconds(9), Duration.ofSeconds(2),
        List.of(shard.ref()), parent.ref()));
    var first = a.expectMessageClass(WorkerProtocol.Evaluate.class);
    b.expectMessageClass(WorkerProtocol.Evaluate.class);
    // a's reply arrives twice (the wire doubled it); b's request was lost.
    first.replyTo().tell(new Evaluated(a.ref(), 7, 2.0, 4, 5));
    first.replyTo().tell(new Evaluated(a.ref(), 7, 2.0, 4, 5));
    TIME.expectNoMessageFor(Duration.ofMillis(50), parent);

    TIME.timePasses(Duration.ofSeconds(2));

    assertThat(shard.expectMessageClass(dptrain.protocol.ShardProtocol.ReportStep.class).step()).isEqualTo(7);
    var again = b.expectMessageClass(WorkerProtocol.Evaluate.class);
    assertThat(List.of(again.from(), again.to())).containsExactly(5, 10);
    a.expectNoMessage(Duration.ofMillis(50));
    again.replyTo().tell(new Evaluated(b.ref(), 7, 3.0, 3, 5));
    var result = parent.expectMessageClass(EvaluationRound.Succeeded.class).result();
    assertThat(result.count()).isEqualTo(10);
    assertThat(result.accuracy()).isEqualTo(0.7);
  }
}
