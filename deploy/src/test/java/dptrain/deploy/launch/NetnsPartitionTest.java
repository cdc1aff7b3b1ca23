package dptrain.deploy.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dptrain.deploy.cluster.WorkerNode;
import dptrain.deploy.security.ClusterCertificates;
import dptrain.deploy.train.TrainCommandTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition with two hosts on each side, on four network-namespace hosts over mutual TLS: the
 * coordinator's host and one worker host on one side, two worker hosts on the other. The
 * split-brain resolver keeps the side with the oldest node (the coordinator's); the other side's
 * nodes down themselves and say why, and the run ends with every step applied once with its whole
 * batch. Skipped, loudly, where this machine cannot make namespaces.
 */
class NetnsPartitionTest {
  private static NetnsHosts hosts;

  @TempDir
  static Path dir;

  private static Path hostsFile;

  @BeforeAll
  static void createHosts() throws Exception {
    hosts = NetnsHosts.createOrSkip(4, 'q', "NetnsPartitionTest");
    hostsFile = hosts.hostsFile(dir.resolve("hosts.txt"), "coordinator,ps", "worker,ps", "worker,ps", "worker,ps");
    new ClusterCertificates(dir.resolve("certs"), Clock.systemUTC(), Duration.ofDays(1)).issue(HostsFile.read(hostsFile));
  }

  @AfterAll
  static void removeHosts() throws Exception {
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void twoAgainstTwoTheCoordinatorsSideGoesOnTheOtherSideStopsAndSaysWhyAndNoStepIsLostOrRepeated() throws Exception {
    Path run = dir.resolve("partition");
    Path metrics = run.resolve("metrics.jsonl");
    // The far side downs itself a few seconds after the split (the resolver's 5 s, then its own shutdown); on a quiet
    // machine the near side can finish the job sooner, so the launcher gives the other nodes 30 s to end on their own.
    var launched = BoundedLaunch.start(run, hosts, "launch", "--hosts", hostsFile.toString(),
        "--tls-dir", dir.resolve("certs").toString(), "--prefix", "ip netns exec {name}", "--node-memory", "512m", "--grace",
        "30", "--java", ProcessHandle.current().info().command().orElse("java"), "--run-dir", run.toString(), "--data",
        "synthetic:spirals", "--model", "2-16:tanh-2", "--batch", "50", "--epochs", "40", "--eval-every", "20");
    var kit = akka.actor.testkit.typed.javadsl.ActorTestKit.create();
    try {
      kit.createTestProbe().awaitAssert(Duration.ofSeconds(150), Duration.ofMillis(100), () -> {
        assertThat(Files.exists(metrics) && Files.readString(metrics).contains("\"step\":20,")).isTrue();
        return null;
      });
    } finally {
      kit.shutdownTestKit();
    }
    hosts.split(3, 4);
    TrainCommandTest.Run result;
    try {
      result = launched.await(Duration.ofSeconds(300));
    } finally {
      hosts.heal(3, 4);
    }

    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = Files.readAllLines(metrics);
    assertThat(lines).filteredOn(l -> l.contains("\"type\":\"worker_left\"")).hasSize(2);
    // The far side held two of the four shards: the run rolled back to a checkpoint (once, or
    // again if the second removal came during the first roll-back) and trained from there.
    List<String> rollbacks = lines.stream().filter(l -> l.contains("\"type\":\"rollback\"")).toList();
    assertThat(rollbacks).isNotEmpty();
    int replayed = rollbacks.stream().mapToInt(l -> Integer.parseInt(l.replaceAll(".*\"from_step\":(\\d+).*", "$1"))
        - Integer.parseInt(l.replaceAll(".*\"to_step\":(\\d+).*", "$1"))).sum();
    List<String> steps = lines.stream().filter(l -> l.contains("\"type\":\"step\"")).toList();
    // 1,000 training rows of spirals: 20 steps of 50 per epoch.
    int planned = 40 * 20;
    assertThat(steps).hasSize(planned + replayed).allMatch(l -> l.contains("\"samples\":50,"));
    assertThat(steps.stream().map(l -> l.replaceFirst(".*\"step\":(\\d+),.*", "$1")).distinct()).hasSize(planned);
    assertThat(steps.get(0)).contains("\"workers\":3");
    assertThat(steps.get(steps.size() - 1)).contains("\"workers\":1");
    assertThat(lines).filteredOn(l -> l.contains("\"type\":\"epoch\"")).hasSize(2)
        .allMatch(l -> l.contains("\"epoch_samples\":1000"));
    for (int k = 3; k <= 4; k++) {
      assertThat(Files.readString(run.resolve("logs").resolve(hosts.name(k) + ".log"))).as("far side %s", hosts.name(k))
          .contains(WorkerNode.DOWNED);
    }
    assertThat(Files.readString(run.resolve("logs").resolve(hosts.name(2) + ".log"))).doesNotContain(WorkerNode.DOWNED);
    System.out.println("partition 2|2: rolled back " + rollbacks.size() + " time(s), " + replayed + " step(s) again; "
        + result.out().lines().filter(l -> l.startsWith("final ")).findFirst().orElse(""));
  }
}
