package dptrain.deploy.bagging;

import dptrain.deploy.UsageException;
import dptrain.deploy.train.TrainConfig;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** What bag, boost and stack share: the member count's check and the folder their runs go in. */
public final class EnsembleRuns {
  private EnsembleRuns() {}

  /** --members: at least two. */
  public static int members(int members) {
    if (members < 2) {
      throw new UsageException("--members must be a whole number >= 2, got " + members);
    }
    return members;
  }

  /** The ensemble's folder: --run-dir, or runs/KIND-TIMESTAMP; member m's run goes in member-m inside it. */
  public static Path root(TrainConfig base, String kind) {
    return base.runDir() != null ? base.runDir()
        : Path.of("runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
  }
}
