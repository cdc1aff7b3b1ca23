package dptrain.coordinator.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a job keeps in its run folder to survive failures: its checkpoints, and a mark that it
 * finished (so that a standby coordinator taking the singleton over later does not train it again).
 */
public final class RunFolder {
  /** The mark's file name, in the run folder. */
  public static final String FINISHED_MARK = "finished";

  private final Path directory;
  private final String jobId;
  private final CheckpointStore store;

  public RunFolder(Path directory, String jobId, int keep) {
    this.directory = directory;
    this.jobId = jobId;
    this.store = new CheckpointStore(directory, keep);
  }

  /** Writes a checkpoint atomically, keeping the newest few; returns its file. */
  public Path save(Checkpoint checkpoint) throws IOException {
    return store.save(checkpoint);
  }

  /** The checkpoint files in the folder, oldest first. */
  public java.util.List<Path> checkpointFiles() throws IOException {
    return store.files();
  }

  /**
   * This job's newest checkpoint that reads back intact, or null; each damaged one on the way
   * is reported to {@code damaged}.
   */
  public Checkpoint newestGood(Consumer<String> damaged) throws IOException {
    var files = store.files();
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        var checkpoint = CheckpointFile.read(files.get(i));
        if (checkpoint.jobId().equals(jobId)) {
          return checkpoint;
        }
      } catch (CorruptCheckpointException e) {
        damaged.accept(e.getMessage());
      }
    }
    return null;
  }

  /**
   * A fresh job in a folder used before: the old run's checkpoints and mark go, or a roll-back
   * or a standby would go back to them.
   */
  public void clearEarlierRun() throws IOException {
    for (var file : store.files()) {
      Files.deleteIfExists(file);
    }
    Files.deleteIfExists(directory.resolve(FINISHED_MARK));
  }

  public void markFinished(String summary) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(FINISHED_MARK), summary + System.lineSeparator());
  }

  /** The finished job's summary, when the folder says it finished. */
  public Optional<String> finished() throws IOException {
    Path mark = directory.resolve(FINISHED_MARK);
    return Files.exists(mark) ? Optional.of(Files.readString(mark).trim()) : Optional.empty();
  }
}
