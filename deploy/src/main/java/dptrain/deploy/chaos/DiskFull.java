package dptrain.deploy.chaos;

import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The disk-full fault: the run's checkpoint folder is a small tmpfs of its own, mounted before
 * the run (which takes root). At the fault a filler file takes all its room, so the next
 * checkpoint cannot be written; once the run says so (a checkpoint_not_saved line) a worker node
 * is killed, so that the roll-back must go to the checkpoint kept from before; once it has rolled
 * back the filler goes and the disk has room again. Unmounted when the run is over.
 */
final class DiskFull implements AutoCloseable {
  /** Room for a few of the chaos job's checkpoints (about 4 KB each) and no more. */
  private static final String SIZE = "256k";
  private static final int MOST_BLOCKS = 1_024; // 4 MB: far more than the disk holds, so filling always ends

  private final Path folder;
  private final Path filler;
  private volatile ProcessHandle victim;
  private boolean killed;

  private DiskFull(Path folder) {
    this.folder = folder;
    this.filler = folder.resolve("filler");
  }

  /** Whether this machine lets chaos mount a tmpfs (it needs root). */
  static boolean available() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Mounts the small disk on {@code folder} (created when missing). */
  static DiskFull mount(Path folder) throws IOException, InterruptedException {
    Files.createDirectories(folder);
    if (command("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "dptrain-chaos", folder.toString()) != 0) {
      throw new IOException("cannot mount a " + SIZE + " tmpfs on " + folder + " (the disk-full fault needs root)");
    }
    return new DiskFull(folder);
  }

  /** The fault: fills the disk; {@code victim} is killed once the run says a checkpoint was not saved. */
  void fill(ProcessHandle victim) {
    this.victim = victim;
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      for (int i = 0; i < MOST_BLOCKS; i++) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      return; // no space left: the disk is full
    }
    throw new IllegalStateException("the " + SIZE + " disk at " + folder + " took " + MOST_BLOCKS * 4 + " KB");
  }

  /** A metrics line after the fault: the run refused a checkpoint (kill), or rolled back (room again). */
  void onLine(JsonLine line) {
    if (line.type().equals("checkpoint_not_saved") && !killed && victim != null) {
      killed = true;
      victim.destroyForcibly();
    } else if (line.type().equals("rollback") && killed) {
      release();
    }
  }

  private void release() {
    try {
      Files.deleteIfExists(filler);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    release();
    command("umount", folder.toString());
  }

  private static int command(String... args) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
