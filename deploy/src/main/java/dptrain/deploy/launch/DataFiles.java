package dptrain.deploy.launch;

import dptrain.worker.data.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The files a job's {@code --data} reads, with their SHA-256 here: every host must hold the same ones. */
final class DataFiles {
  private DataFiles() {}

  static Map<Path, String> checksums(String data) {
    Map<Path, String> sums = new LinkedHashMap<>();
    for (Path file : files(data)) {
      if (!Files.isRegularFile(file)) {
        throw new dptrain.deploy.UsageException("--data " + data + ": " + file + " is missing here, where the launcher runs");
      }
      sums.put(file.toAbsolutePath(), Distribution.sha256(file));
    }
    return sums;
  }

  private static List<Path> files(String data) {
    if (data.equals("fashion-mnist")) {
      String env = System.getenv("DPTRAIN_DATA");
      return inFolder(Path.of(env != null && !env.isBlank() ? env : DataSource.FASHION_MNIST_DIR));
    }
    if (data.startsWith("idx:")) {
      return inFolder(Path.of(data.substring(4)));
    }
    if (data.startsWith("csv:")) {
      return Stream.of(data.substring(4).split(",")).map(Path::of).toList();
    }
    return List.of();
  }

  private static List<Path> inFolder(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new dptrain.deploy.UsageException("cannot list the data folder " + folder + ": " + e.getMessage());
    }
  }
}
