package dptrain.coordinator.round;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import com.typesafe.config.ConfigFactory;
import dptrain.protocol.CoordinatorProtocol.ShardParametersChunk;
import dptrain.protocol.ShardProtocol;
import dptrain.protocol.job.ShardAddress;
import dptrain.protocol.tensor.Precision;
import dptrain.protocol.tensor.TensorChunk;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Collecting the parameters of two shards, [0, 2) and [2, 4), with probes for the shards and the parent; time is manual. */
class ParameterCollectionTest {
  private static final ActorTestKit KIT = ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));
  private static final ManualTime TIME = ManualTime.get(KIT.system());

  private final TestProbe<ShardProtocol.Command> first = KIT.createTestProbe();
  private final TestProbe<ShardProtocol.Command> second = KIT.createTestProbe();
  private final TestProbe<ParameterCollection.Outcome> parent = KIT.createTestProbe();

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** Four values, two per shard; asked again after 2 s, given up after 9 s. */
  private void start() {
    var request = new ParameterCollection.Request(List.of(new ShardAddress(first.ref(), 0, 2), new ShardAddress(second.ref(),
        2, 2)), 4, Precision.FLOAT32, Duration.ofSeconds(9)).withRetry(Duration.ofSeconds(2));
    KIT.spawn(ParameterCollection.create(request, parent.ref()));
  }

  @Test
  void aShardNotHeardInFullIsAskedAgainAndARepeatedChunkCountsOnce() {
    start();
    var ask = first.expectMessageClass(ShardProtocol.GetParameters.class);
    second.expectMessageClass(ShardProtocol.GetParameters.class);
    // The first shard's chunk arrives twice; the second shard's is lost.
    ask.replyTo().tell(new ShardParametersChunk(0, 5, TensorChunk.of(0, 1f, 2f), 0));
    ask.replyTo().tell(new ShardParametersChunk(0, 5, TensorChunk.of(0, 1f, 2f), 0));
    TIME.expectNoMessageFor(Duration.ofMillis(50), parent);

    TIME.timePasses(Duration.ofSeconds(2));

    var again = second.expectMessageClass(ShardProtocol.GetParameters.class);
    first.expectNoMessage(Duration.ofMillis(50));
    again.replyTo().tell(new ShardParametersChunk(1, 5, TensorChunk.of(2, 3f, 4f), 0));
    var collected = parent.expectMessageClass(ParameterCollection.Collected.class);
    assertThat(collected.parameters().toDoubles()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void withoutAnAnswerTheCollectionFailsAtItsTimeoutSayingHowMuchCame() {
    start();
    var ask = first.expectMessageClass(ShardProtocol.GetParameters.class);
    ask.replyTo().tell(new ShardParametersChunk(0, 5, TensorChunk.of(0, 1f, 2f), 0));

    TIME.timePasses(Duration.ofSeconds(9));

    assertThat(parent.expectMessageClass(ParameterCollection.NotCollected.class).reason())
        .isEqualTo("received 2 of 4 values from the shards before the timeout");
  }
}
