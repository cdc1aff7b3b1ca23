package dptrain.deploy.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Another JVM running dptrain as this one does: the same java, this JVM's class path and native
 * BLAS (when bin/dptrain chose the system's OpenBLAS, so that every worker computes with the same
 * kernels), the CLI's main class.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** This JVM's java executable. */
  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The command line up to the subcommand: java, the heap limit ("1g"), the class path and dptrain's main class. */
  public static List<String> dptrain(String maxHeap) {
    List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + maxHeap));
    command.addAll(blasProperties());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dptrain.deploy.Main"));
    return List.copyOf(command);
  }

  /** The -D options that load the system's OpenBLAS, when this JVM was started with them (else none). */
  public static List<String> blasProperties() {
    String load = System.getProperty("org.bytedeco.openblas.load");
    if (load == null || !Boolean.parseBoolean(System.getProperty("org.bytedeco.javacpp.pathsFirst", "false"))) {
      return List.of();
    }
    return List.of("-Dorg.bytedeco.openblas.load=" + load, "-Djava.library.path=" + System.getProperty("java.library.path"),
        "-Dorg.bytedeco.javacpp.pathsFirst=true");
  }
}
