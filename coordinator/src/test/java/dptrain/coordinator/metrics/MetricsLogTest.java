package dptrain.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
  private static final ActorTestKit KIT = ActorTestKit.create();

  @TempDir
  Path run;

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private void writeAndClose(boolean append, MetricsLog.EventRecord event) {
    var log = KIT.spawn(MetricsLog.create(run, append));
    var closed = KIT.<MetricsLog.Closed>createTestProbe();
    log.tell(event);
    log.tell(new MetricsLog.Close(closed.ref()));
    closed.expectMessage(MetricsLog.Closed.INSTANCE);
  }

  @Test
  void aResumedRunAppendsAfterWhatTheRunBeforeItWrote() throws Exception {
    writeAndClose(false, MetricsLog.EventRecord.of("plan", "steps", 10));
    writeAndClose(true, MetricsLog.EventRecord.of("resume", "step", 4));

    assertThat(Files.readAllLines(run.resolve("metrics.jsonl")))
        .containsExactly("{\"type\":\"plan\",\"steps\":10}", "{\"type\":\"resume\",\"step\":4}");
  }

  @Test
  void aResumedRunStartsOnALineOfItsOwnAfterTheHalfLineAKilledCoordinatorLeft() throws Exception {
    Files.writeString(run.resolve("metrics.jsonl"), "{\"type\":\"plan\",\"steps\":10}\n{\"type\":\"step\",\"st");
    writeAndClose(true, MetricsLog.EventRecord.of("resume", "step", 4));

    assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).containsExactly("{\"type\":\"plan\",\"steps\":10}",
        "{\"type\":\"step\",\"st", "{\"type\":\"resume\",\"step\":4}");
  }
}
