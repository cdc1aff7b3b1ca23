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
        .isEqualTo("evaluation of version 7 timed out waiting for 1 worker(s)");
  }
}
