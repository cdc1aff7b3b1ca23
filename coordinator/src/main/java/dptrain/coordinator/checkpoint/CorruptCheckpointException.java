package dptrain.coordinator.checkpoint;

import java.nio.file.Path;

/** A checkpoint file that is truncated, damaged or not a checkpoint at all; the message names the file. */
public final class CorruptCheckpointException extends Exception {
  private final transient Path file;

  public CorruptCheckpointException(Path file, String why) {
    super("checkpoint " + file + " is unusable: " + why);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
