package dptrain.deploy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node whose actor system never finishes stopping still lets its command end. */
class NodeTerminationTest {
  @Test
  void aTerminationThatHangsIsGivenUpOnAfterTheLimitAndOneThatEndsIsWaitedFor() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    // An actor that does not finish stopping until released holds the system's termination, as
    // Akka's stuck TLS stream does.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.<Void>receive(Void.class)
        .onSignal(PostStop.class, stop -> {
          release.await(60, TimeUnit.SECONDS);
          return Behaviors.same();
        }).build(), "stuck");
    try {
      system.terminate();

      assertThat(NodeTermination.await(system, Duration.ofMillis(500))).isFalse();
      assertThat(system.getWhenTerminated().toCompletableFuture().isDone()).isFalse();
    } finally {
      release.countDown();
    }
    assertThat(NodeTermination.await(system, Duration.ofSeconds(20))).isTrue();
  }
}
