package dptrain.deploy.cluster;

import java.util.List;

/** Another JVM running dptrain as this one does: the same java, this JVM's class path, the CLI's main class. */
public final class ChildJvm {
  private ChildJvm() {}

  /** This JVM's java executable. */
  public static String java() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The command line up to the subcommand: java, the heap limit ("1g"), the class path and dptrain's main class. */
  public static List<String> dptrain(String maxHeap) {
    return List.of(java(), "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), "dptrain.deploy.Main");
  }
}
