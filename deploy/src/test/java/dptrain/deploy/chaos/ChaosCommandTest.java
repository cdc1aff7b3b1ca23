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
  void theShortSuiteFillsTheDiskStallsANodeKillsTheCoordinatorAndMeddlesWithTheWireAndEveryRunAppliesEachRowOnce()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(DiskFull.available(), "the disk-full fault mounts a tmpfs: root only");
    var result = TrainCommandTest.run("chaos", "--seed", "3", "--out", dir.toString());

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    List<String> rows = tableRows(result.out());
    assertThat(rows).hasSize(5);
    assertThat(rows.get(0)).startsWith("| none (clean run) |").contains("| completed | 204 of 204 | 0 | 0 | 0 | - |");
    assertThat(rows.subList(1, 5)).extracting(r -> r.split(" \\| ")[0]).containsExactly("| disk-full",
        "| long-stall", "| kill-coordinator", "| wire-faults");
    assertThat(rows.subList(1, 5)).allMatch(r -> r.contains("| completed | 204 of 204 | 0 | 0 | 0 | yes |"));
    // The refused checkpoint leaves the one before it, and the kill that follows rolls back to that one.
    assertThat(rows.get(1)).containsPattern("checkpoint after step (\\d+) not saved \\(No space left on device\\), kept "
        + "ckpt-0*(\\d+)\\.ckpt; 1 worker\\(s\\) left; rolled back \\d+->\\2\\b");
    // The long stall loses its node (and the shard on it: a roll-back).
    assertThat(rows.get(2)).contains("1 worker(s) left; rolled back");
    // The stalled node, continued after the cluster downed it, stops and says why.
    assertThat(logsOf(dir.resolve("long-stall"), "worker-")).filteredOn(log -> log.contains(
        dptrain.deploy.cluster.WorkerNode.DOWNED)).hasSize(1);
    // The standby goes on from the checkpoint the dead coordinator wrote last.
    assertThat(rows.get(3)).containsPattern("the standby took the job over from the checkpoint after step \\d+0\\b");
    // Frames were dropped, doubled, swapped or delayed (how many of each depends on the traffic in the window).
    var meddled = java.util.regex.Pattern.compile("of \\d+ frames on the wire: (\\d+) dropped, (\\d+) duplicated, "
        + "(\\d+) reordered, (\\d+) delayed 50 ms").matcher(rows.get(4));
    assertThat(meddled.find()).as(rows.get(4)).isTrue();
    assertThat(java.util.stream.IntStream.rangeClosed(1, 4).map(g -> Integer.parseInt(meddled.group(g))).sum()).isPositive();
    // With the job done, the standby said so and ended too (the table's run would have timed out otherwise).
    assertThat(logsOf(dir.resolve("wire-faults-nodes"), "standby")).singleElement(
        org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("the job finished on the other coordinator node");
    // The small disk is unmounted again.
    assertThat(java.nio.file.Files.readString(Path.of("/proc/mounts"))).doesNotContain(dir.resolve("disk-full").toString());
  }

  private static List<String> logsOf(Path folder, String prefix) throws java.io.IOException {
    try (var logs = java.nio.file.Files.list(folder)) {
      return logs.filter(f -> f.getFileName().toString().startsWith(prefix)).map(f -> {
        try {
          return java.nio.file.Files.readString(f);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
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
      disabledReason = "long suite (DPTRAIN_LONG_TESTS=1): the asynchronous modes and backup, about 5 minutes")
  void theAsynchronousModesAndBackupApplyEachPlannedRowOnceThroughKillsAndStalls() {
    for (String mode : List.of("async", "ssp", "backup")) {
      var result = TrainCommandTest.run("chaos", "--seed", "3", "--mode", mode, "--faults", "kill-two-workers,long-stall",
          "--out", dir.resolve(mode).toString());

      assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
      // Their bits depend on timing: not compared ("-"). Backup's dropped micro-batches are drops, not losses.
      assertThat(tableRows(result.out())).hasSize(3).allMatch(r -> r.matches(".*\\| completed \\| 204 of 204"
          + (mode.equals("backup") ? ", [1-9]\\d* micro-batch\\(es\\) dropped by backup" : "") + " \\| 0 \\| 0 \\| 0 \\| - \\|.*"));
    }
  }

  @Test
  void anUnknownModeIsBadInput() {
    var result = TrainCommandTest.run("chaos", "--mode", "eventual", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--mode must be sync, async, ssp or backup, not 'eventual'");
  }

  @Test
  void anUnknownFaultIsBadInputNamingTheFaults() {
    var result = TrainCommandTest.run("chaos", "--faults", "kill-worker,meteor", "--out", dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("unknown fault 'meteor'; the faults are kill-worker, kill-two-workers, "
        + "kill-and-restart, short-stall, long-stall, straggler, disk-full, garbage-flood, kill-coordinator, kill-standby, "
        + "wire-faults");
  }
}
