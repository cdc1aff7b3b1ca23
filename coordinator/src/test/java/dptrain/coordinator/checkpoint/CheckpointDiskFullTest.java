package dptrain.coordinator.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dptrain.protocol.tensor.FlatArray;
import dptrain.protocol.tensor.Precision;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written to a disk that is full: a real 256 KB tmpfs, mounted for the test (it
 * needs root, as the CI machine is; elsewhere the test is skipped) and filled with a file.
 */
class CheckpointDiskFullTest {
  @TempDir
  Path dir;
  private Path disk;
  private boolean mounted;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(dir.resolve("disk"));
    mounted = command("mount", "-t", "tmpfs", "-o", "size=256k", "dptrain-test", disk.toString()) == 0;
    Assumptions.assumeTrue(mounted, "mounting a tmpfs needs root");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      command("umount", disk.toString());
    }
  }

  @Test
  void aFullDiskRefusesTheNewCheckpointAndLeavesTheOldOneIntactWithNoHalfFileBehind() throws Exception {
    RunFolder folder = new RunFolder(disk, "job-1", 3);
    Path first = folder.save(sample(40, 4_000));
    fill(disk.resolve("filler"));

    assertThatThrownBy(() -> folder.save(sample(80, 4_000)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");

    assertThat(folder.checkpointFiles()).containsExactly(first);
    assertThat(folder.newestGood(damaged -> { throw new AssertionError(damaged); }).step()).isEqualTo(40);
    try (var listing = Files.list(disk.resolve("checkpoints"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(first.getFileName().toString());
    }
  }

  @Test
  void onceTheDiskHasRoomAgainTheNextCheckpointIsWritten() throws Exception {
    RunFolder folder = new RunFolder(disk, "job-1", 3);
    folder.save(sample(40, 4_000));
    Path filler = disk.resolve("filler");
    fill(filler);
    assertThatThrownBy(() -> folder.save(sample(80, 4_000))).isInstanceOf(IOException.class);

    Files.delete(filler);
    Path third = folder.save(sample(120, 4_000));

    assertThat(folder.checkpointFiles()).hasSize(2).last().isEqualTo(third);
    assertThat(folder.newestGood(damaged -> { throw new AssertionError(damaged); }).step()).isEqualTo(120);
  }

  /** Writes until the disk says it is full. */
  private static void fill(Path file) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 1_000; i++) { // 4 MB at most: far more than the disk holds
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
      return;
    }
    throw new AssertionError("the 256 KB disk took 4 MB");
  }

  private static Checkpoint sample(long step, int parameters) {
    double[] values = new double[parameters];
    java.util.Arrays.fill(values, step);
    var progress = new Checkpoint.Progress(2, new double[] {0.01}, 0.25, 40, 1,
        FlatArray.of(Precision.FLOAT32, values), 0.3, 0.9, 0.2, 0.27, 0.21, 128, new long[] {600});
    return new Checkpoint("job-1", "dptrain.train {}", step, 1, 7, 42, FlatArray.of(Precision.FLOAT32, values),
        List.of(FlatArray.of(Precision.FLOAT32, values)), Map.of(0L, new double[] {step}), 1, parameters, progress);
  }

  private static int command(String... args) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }
}
