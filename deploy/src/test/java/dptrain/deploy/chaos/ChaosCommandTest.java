package dptrain.deploy.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite end to end, on real worker node processes: the short suite in CI, every fault
 * with DPTRAIN_LONG_TESTS=1.
 */
class ChaosCommandTest {
  @TempDir
  Path dir;

  private static List<String> tableRows(String out) {
    return out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| fault") && !l.startsWith("| ---")).toList();
  }

  @Test
  void theShortSuiteFillsTheCheckpointDiskKillsTwoNodesAtOnceAndStallsOneAndEveryRunStillAppliesEachPlannedRowOnce()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(DiskFull.available(), "the disk-full fault mounts a tmpfs: root only");
    var result = TrainCommandTest.run("chaos", "--seed", "3", "--out", dir.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    List<String> rows = tableRows(result.out());
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0)).startsWith("| none (clean run) |").contains("| completed | 204 of 204 | 0 | 0 | 0 | - |");
    assertThat(rows.subList(1, 4)).extracting(r -> r.split(" \\| ")[0]).containsExactly("| disk-full",
        "| kill-two-workers", "| long-stall");
    assertThat(rows.subList(1, 4)).allMatch(r -> r.contains("| completed | 204 of 204 | 0 | 0 | 0 | yes |"));
    // The refused checkpoint leaves the one before it, and the kill that follows rolls back to that one.
    assertThat(rows.get(1)).containsPattern("checkpoint after step (\\d+) not saved \\(No space left on device\\), kept "
        + "ckpt-0*(\\d+)\\.ckpt; 1 worker\\(s\\) left; rolled back \\d+->\\2\\b");
    // Each kill and the long stall lose their nodes (and the shards on them: a roll-back).
    assertThat(rows.get(2)).contains("2 worker(s) left");
    assertThat(rows.get(3)).contains("1 worker(s) left; rolled back");
    // The stalled node, continued after the cluster downed it, stops and says why.
    try (var logs = java.nio.file.Files.list(dir.resolve("long-stall"))) {
      assertThat(logs.filter(f -> f.getFileName().toString().startsWith("worker-")).map(f -> {
        try {
          return java.nio.file.Files.readString(f);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      })).filteredOn(log -> log.contains(dptrain.deploy.cluster.WorkerNode.DOWNED)).hasSize(1);
    }
    // The small disk is unmounted again.
    assertThat(java.nio.file.Files.readString(Path.of("/proc/mounts"))).doesNotContain(dir.resolve("disk-full").toString());
  }

  @Test
  @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "DPTRAIN_LONG_TESTS", matches = "1",
      disabledReason = "long suite (DPTRAIN_LONG_TESTS=1): every fault, about 8 minutes")
  void theLongSuiteSurvivesEveryFault() {
    var result = TrainCommandTest.run("chaos", "--seed", "3", "--long", "--out", dir.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(tableRows(result.out())).hasSize(1 + Fault.values().length)
        .allMatch(r -> r.contains("| completed | 204 of 204 | 0 | 0 | 0 |"));
    // The synchronous steps name the node they wait on, and no other.
    assertThat(tableRows(result.out())).filteredOn(r -> r.startsWith("| straggler |")).singleElement(
        org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("named the stalled node the straggler")
        .doesNotContain("another node");
  }

  @Test
  @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "DPTRAIN_LONG_TESTS", matches = "1",
      disabledReason = "long suite (DPTRAIN_LONG_TESTS=1): the asynchronous modes, about 3 minutes")
  void theAsynchronousModesApplyEachPlannedRowOnceThroughKillsAndStalls() {
    for (String mode : List.of("async", "ssp")) {
      var result = TrainCommandTest.run("chaos", "--seed", "3", "--mode", mode, "--faults", "kill-two-workers,long-stall",
          "--out", dir.resolve(mode).toString());

      assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
      // Their bits depend on timing: not compared ("-").
      assertThat(tableRows(result.out())).hasSize(3).allMatch(r -> r.contains("| completed | 204 of 204 | 0 | 0 | 0 | - |"));
    }
  }

  @Test
  void anUnknownModeIsBadInput() {
    var result = TrainCommandTest.run("chaos", "--mode", "backup", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--mode must be sync, async or ssp, not 'backup'");
  }

  @Test
  void anUnknownFaultIsBadInputNamingTheFaults() {
    var result = TrainCommandTest.run("chaos", "--faults", "kill-worker,meteor", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("unknown fault 'meteor'; the faults are kill-worker, kill-two-workers, "
        + "kill-and-restart, short-stall, long-stall, straggler, disk-full, garbage-flood");
  }
}
