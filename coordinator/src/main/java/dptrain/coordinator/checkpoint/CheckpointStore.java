package dptrain.coordinator.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run folder's checkpoints ({@code checkpoints/ckpt-<step>.ckpt}): saves one, keeps the last
 * {@code keep}, and finds the newest one that reads back intact.
 */
public final class CheckpointStore {
  private static final Pattern NAME = Pattern.compile("ckpt-(\\d+)\\.ckpt");

  private final Path directory;
  private final int keep;

  public CheckpointStore(Path runDir, int keep) {
    this.directory = runDir.resolve("checkpoints");
    this.keep = Math.max(1, keep);
  }

  public Path directory() {
    return directory;
  }

  /** Writes the checkpoint atomically, then deletes all but the newest {@code keep}; returns its file. */
  public Path save(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(String.format("ckpt-%012d.ckpt", checkpoint.step()));
    CheckpointFile.write(file, checkpoint);
    List<Path> all = files();
    for (int i = 0; i < all.size() - keep; i++) {
      Files.deleteIfExists(all.get(i));
    }
    return file;
  }

  /** The checkpoint files, oldest first. */
  public List<Path> files() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(directory)) {
      return listing.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparingLong(CheckpointStore::stepOf))
          .toList();
    }
  }

  /**
   * The newest checkpoint, read and verified. When it is damaged, the exception names it and
   * {@link #newestGoodBefore} offers the one before.
   */
  public Optional<Checkpoint> newest() throws IOException, CorruptCheckpointException {
    List<Path> all = files();
    return all.isEmpty() ? Optional.empty() : Optional.of(CheckpointFile.read(all.get(all.size() - 1)));
  }

  /** The newest checkpoint older than {@code file} that reads back intact, if any. */
  public Optional<Path> newestGoodBefore(Path file) throws IOException {
    List<Path> older = new ArrayList<>(files().stream().filter(p -> stepOf(p) < stepOf(file)).toList());
    for (int i = older.size() - 1; i >= 0; i--) {
      try {
        CheckpointFile.read(older.get(i));
        return Optional.of(older.get(i));
      } catch (CorruptCheckpointException e) {
        // try the one before
      }
    }
    return Optional.empty();
  }

  private static long stepOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }
}
