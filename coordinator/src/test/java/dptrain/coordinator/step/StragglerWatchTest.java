package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StragglerWatchTest {
  private static Optional<StragglerWatch.Wait> last(String node, double millis) {
    return Optional.of(new StragglerWatch.Wait(node, (long) (millis * 1e6)));
  }

  @Test
  void aNodeThatCausesMostOfTheWaitingIsNamedOnceWithItsShareAndItsCostPerStep() {
    StragglerWatch watch = new StragglerWatch();
    int named = 0;
    StragglerWatch.Straggler first = null;
    for (int step = 0; step < 60; step++) {
      // b is late by 30 ms every other step; in between either node is late by a hair
      var wait = step % 2 == 0 ? last("b", 30) : last(step % 4 == 1 ? "a" : "b", 1);
      var seen = watch.observe(wait);
      if (seen.isPresent()) {
        named++;
        first = first == null ? seen.get() : first;
      }
    }

    assertThat(named).as("a lasting straggler is named once").isEqualTo(1);
    assertThat(first.node()).isEqualTo("b");
    assertThat(first.of()).isEqualTo(StragglerWatch.WINDOW);
    assertThat(first.lastIn()).isEqualTo(15);
    assertThat(first.share()).isCloseTo(305.0 / 310, within(1e-9));
    assertThat(first.millisPerStep()).isCloseTo(305.0 / 20, within(1e-9));
  }

  @Test
  void nodesTakingTurnsOrLateByLittleAreNoStragglers() {
    StragglerWatch turns = new StragglerWatch();
    StragglerWatch close = new StragglerWatch();
    for (int step = 0; step < 100; step++) {
      assertThat(turns.observe(step % 2 == 0 ? last("a", 30) : last("b", 30))).isEmpty();
      assertThat(close.observe(last("b", 0.5))).as("always last, but by half a millisecond").isEmpty();
    }
  }

  @Test
  void aStragglerThatCaughtUpIsNamedAgainWhenItFallsBehindAgain() {
    StragglerWatch watch = new StragglerWatch();
    int named = 0;
    for (int step = 0; step < 120; step++) {
      boolean slowSpell = step < 40 || step >= 80;
      named += watch.observe(slowSpell ? last("b", 20) : last("a", 1)).isPresent() ? 1 : 0;
    }

    assertThat(named).isEqualTo(2);
  }
}
