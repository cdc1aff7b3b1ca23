package dptrain.deploy.launch;

import dptrain.deploy.UsageException;
import dptrain.worker.data.DataException;
import dptrain.worker.data.DataSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files a job's {@code --data} reads, with their SHA-256 here: every host must hold the same ones. */
final class DataFiles {
  private DataFiles() {}

  static Map<Path, String> checksums(String data) {
    Map<Path, String> sums = new LinkedHashMap<>();
    try {
      for (Path file : DataSource.files(data)) {
        sums.put(file.toAbsolutePath(), Distribution.sha256(file));
      }
    } catch (DataException e) {
      throw new UsageException("--data " + data + ", here where the launcher runs: " + e.getMessage());
    }
    return sums;
  }
}
