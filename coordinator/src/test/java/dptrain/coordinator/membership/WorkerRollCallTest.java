package dptrain.coordinator.membership;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.Address;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkerRollCallTest {
  private final AtomicLong clock = new AtomicLong();

  private static Address node(String host, int port) {
    return new Address("akka", "dptrain", host, port);
  }

  @Test
  void namesTheExpectedNodesThatHaveNotJoinedAndWhenEachWasLastSeen() {
    var rollCall = new WorkerRollCall(3, List.of("10.0.0.1:25520", "10.0.0.2:25520", "10.0.0.3:25520"), clock::get);
    rollCall.listed(List.of(node("10.0.0.1", 25520), node("10.0.0.2", 25520)));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(4));
    rollCall.listed(List.of(node("10.0.0.1", 25520)));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(12));

    assertThat(rollCall.count()).isEqualTo("1 of 3 worker(s)");
    assertThat(rollCall.names()).isEqualTo(
        "; missing: worker@10.0.0.2:25520 (last seen 12 s ago), worker@10.0.0.3:25520 (last seen never)");
  }

  @Test
  void withoutExpectedNodesItNamesThoseThatJoined() {
    var rollCall = new WorkerRollCall(2, List.of(), clock::get);
    assertThat(rollCall.names()).isEmpty();

    rollCall.listed(List.of(node("127.0.0.1", 40001)));

    assertThat(rollCall.count()).isEqualTo("1 of 2 worker(s)");
    assertThat(rollCall.names()).isEqualTo("; joined: 127.0.0.1:40001");
  }

  @Test
  void nothingIsMissingOnceEveryExpectedNodeIsListed() {
    var rollCall = new WorkerRollCall(1, List.of("10.0.0.1:25520"), clock::get);

    rollCall.listed(List.of(node("10.0.0.1", 25520)));

    assertThat(rollCall.names()).isEmpty();
  }
}
