package dptrain.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackupDropWatchTest {
  @Test
  void aNodeWhoseMicroBatchIsDroppedInNearlyEveryStepIsNamedOnceForItsSlowSpell() {
    BackupDropWatch watch = new BackupDropWatch();
    int named = 0;
    Optional<StragglerWatch.Straggler> first = Optional.empty();
    for (int step = 0; step < 60; step++) {
      // Node b is stalled: its micro-batch is the one dropped, except in every tenth step.
      var seen = watch.observe(Set.of(step % 10 == 0 ? "a" : "b"));
      if (seen.isPresent()) {
        named++;
        first = first.or(() -> seen);
      }
    }

    assertThat(named).isEqualTo(1);
    assertThat(first.get().node()).isEqualTo("b");
    assertThat(first.get().dropped()).isTrue();
    assertThat(first.get().lastIn()).isEqualTo(18);
    assertThat(first.get().of()).isEqualTo(20);
  }

  @Test
  void healthyNodesThatTakeTurnsAreNoStragglers() {
    BackupDropWatch watch = new BackupDropWatch();
    for (int step = 0; step < 200; step++) {
      // Two in a row each, then the other: 10 of every 20.
      assertThat(watch.observe(Set.of(step / 2 % 2 == 0 ? "a" : "b"))).isEmpty();
    }
  }

  @Test
  void aNodeThatCaughtUpAndFellBehindAgainIsNamedAgain() {
    BackupDropWatch watch = new BackupDropWatch();
    int named = 0;
    for (int step = 0; step < 100; step++) {
      // b is slow for 30 steps, then the two take turns for 30 steps, then b is slow again.
      boolean slowSpell = step < 30 || step >= 60;
      if (watch.observe(Set.of(slowSpell || step % 2 == 0 ? "b" : "a")).isPresent()) {
        named++;
      }
    }
    assertThat(named).isEqualTo(2);
  }

  @Test
  void stepsThatDroppedNothingNameNobody() {
    BackupDropWatch watch = new BackupDropWatch();
    for (int step = 0; step < 40; step++) {
      assertThat(watch.observe(Set.of())).isEmpty();
    }
  }
}
