package dptrain.deploy.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dptrain.coordinator.checkpoint.Checkpoint;
import dptrain.coordinator.checkpoint.CheckpointFile;
import dptrain.coordinator.checkpoint.CheckpointStore;
import dptrain.coordinator.checkpoint.CorruptCheckpointException;
import dptrain.deploy.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code train --resume RUN_DIR} goes on from: the newest checkpoint in the run folder
 * (or the one named), verified; a damaged one is refused with its name and the previous good one.
 */
record ResumePoint(Path file, Checkpoint checkpoint) {

  /** The options the checkpoint was written with. */
  Config config() {
    return ConfigFactory.parseString(checkpoint.config()).resolve();
  }

  static ResumePoint choose(Path runDir, Path explicit) {
    if (!Files.isDirectory(runDir)) {
      throw new UsageException("--resume " + runDir + ": no such run folder");
    }
    CheckpointStore store = new CheckpointStore(runDir, 1);
    try {
      Path file = explicit;
      if (file == null) {
        var files = store.files();
        if (files.isEmpty()) {
          throw new UsageException("--resume " + runDir + ": no checkpoint in " + store.directory()
              + " (runs write one after the last step, at the first epoch end every --checkpoint-interval, and with"
              + " --checkpoint-every N or --checkpoint-epoch-end true more often)");
        }
        file = files.get(files.size() - 1);
      }
      return read(store, file);
    } catch (IOException e) {
      throw new UsageException("--resume " + runDir + ": " + e.getMessage());
    }
  }

  /** Reads and verifies one checkpoint; a damaged one is bad input that names the previous good one. */
  static ResumePoint read(CheckpointStore store, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("checkpoint " + file + " does not exist");
    }
    try {
      return new ResumePoint(file, CheckpointFile.read(file));
    } catch (CorruptCheckpointException e) {
      var previous = store.newestGoodBefore(file);
      throw new UsageException(e.getMessage() + previous
          .map(p -> "; the previous good checkpoint is " + p + " (resume from it with --resume-checkpoint " + p + ")")
          .orElse("; there is no good checkpoint before it"));
    }
  }
}
