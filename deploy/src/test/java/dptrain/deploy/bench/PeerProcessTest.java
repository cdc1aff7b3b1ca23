package dptrain.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peer that hangs is ended at its time limit, with what it printed kept and nothing of it left running. */
class PeerProcessTest {
  @TempDir
  Path dir;

  @Test
  void aPeerPastItsTimeLimitIsEndedAndItsEpochsSoFarKept() throws Exception {
    String line = "{\"epoch\": 1, \"train_s\": 2.0, \"samples\": 1000, \"test_accuracy\": 0.5}";
    var contender = new Contender("peer", "1 process", List.of(), Map.of(), null);
    long[] childPid = new long[1];

    var result = PeerProcess.run(List.of("/bin/sh", "-c", "echo '" + line + "'; exec sleep 300"), Map.of(),
        dir.resolve("peer.log"), 2, text -> {
          ProcessHandle.current().children().forEach(child -> childPid[0] = child.pid());
          return contender.parse(text);
        });

    assertThat(result.failure()).isEqualTo("did not finish within 2 s");
    assertThat(result.epochs()).hasSize(1);
    assertThat(result.epochs().get(0).line()).isEqualTo(new PeerProcess.EpochLine(1, 2.0, 1000, 0.5));
    assertThat(Files.readString(dir.resolve("peer.log"))).contains(line);
    assertThat(childPid[0]).as("the peer was seen running").isPositive();
    Optional<ProcessHandle> child = ProcessHandle.of(childPid[0]);
    assertThat(child.map(ProcessHandle::isAlive).orElse(false)).as("the peer's process after the run").isFalse();
  }
}
