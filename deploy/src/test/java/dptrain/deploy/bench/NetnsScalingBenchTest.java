package dptrain.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.train.TrainCommandTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench scaling on network-namespace hosts: each layout launched as its own cluster of JVMs on
 * hosts the bench made, measured from the run's steps, and the hosts gone afterwards. Skipped,
 * loudly, where this machine cannot make namespaces.
 */
class NetnsScalingBenchTest {
  @TempDir
  Path dir;

  @Test
  @org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "DPTRAIN_LONG_TESTS", matches = "1",
      disabledReason = "long suite (DPTRAIN_LONG_TESTS=1); ScalingBenchTest covers the bench's table and charts in CI")
  void eachLayoutRunsOnItsOwnNamespaceHostsAndTheHostsAreRemovedAfterwards() throws Exception {
    var result = TrainCommandTest.run("bench", "scaling", "--on", "netns", "--nodes", "1,2", "--workers-per-node", "1", "--mode",
        "sync", "--steps", "60", "--data", "synthetic:spirals", "--model", "2-16:tanh-2", "--batch", "50", "--out",
        dir.toString());
    if (result.err().contains("cannot make network-namespace hosts here")) {
      System.err.println("SKIPPED NetnsScalingBenchTest: " + result.err().strip());
    }
    Assumptions.assumeFalse(result.err().contains("cannot make network-namespace hosts here"));

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out().lines().filter(l -> l.matches("sync\\s+[12]\\s+1\\s+[12]\\s+\\d+\\s+[0-9.]+\\s+[0-9.]+\\s+0\\.\\d{4}\\s.*"))).hasSize(2);
    assertThat(Files.readAllLines(dir.resolve("scaling.csv"))).hasSize(3);
    Process list = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
    String namespaces = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    assertThat(namespaces).doesNotContain("dpb" + ProcessHandle.current().pid() % 10000 + "-h");
  }
}
