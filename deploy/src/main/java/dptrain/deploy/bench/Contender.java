package dptrain.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One system of {@code bench compare} and how to start it as a cold process: dptrain through its
 * launcher, or one of the project's peer harnesses under deploy/peers (PyTorch one process or DDP,
 * DL4J). Each prints a line per epoch; this reads them.
 */
record Contender(String system, String layout, List<String> command, Map<String, String> env, Path runDir) {
  private static final Pattern DPTRAIN_EPOCH = Pattern.compile("epoch (\\d+)/\\d+ step \\d+ .*test_accuracy=([0-9.]+)");
  private static final Pattern PEER_EPOCH = Pattern.compile(
      "\"epoch\": (\\d+), \"train_s\": ([0-9.eE+-]+), \"samples\": (\\d+), \"test_accuracy\": ([0-9.eE+-]+)");

  /** A chart's short name: the system and its layout's numbers, e.g. "dptrain 1x2", "pytorch ddp (gloo) 2x1". */
  String label() {
    return system + " " + layout.replaceAll("[^0-9]+", "x").replaceAll("^x|x$", "");
  }

  boolean isDptrain() {
    return runDir != null;
  }

  Optional<PeerProcess.EpochLine> parse(String line) {
    if (isDptrain()) {
      Matcher m = DPTRAIN_EPOCH.matcher(line);
      return m.find() ? Optional.of(new PeerProcess.EpochLine(Integer.parseInt(m.group(1)), Double.NaN, 0,
          Double.parseDouble(m.group(2)))) : Optional.empty();
    }
    Matcher m = PEER_EPOCH.matcher(line);
    return m.find() ? Optional.of(new PeerProcess.EpochLine(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)),
        Long.parseLong(m.group(3)), Double.parseDouble(m.group(4)))) : Optional.empty();
  }

  /**
   * dptrain's default job on {@code nodes} x {@code lanes} workers, started as its launcher starts
   * it (this JVM's class path, one OpenMP thread, the launcher's class-data archive when there is
   * one for this jar), without the launcher's build check.
   */
  static Contender dptrain(Path deployDir, int nodes, int lanes, int epochs, Path runDir) {
    List<String> command = new java.util.ArrayList<>(List.of(javaCommand(), "-Xmx6g"));
    String classPath = System.getProperty("java.class.path");
    Path jar = deployDir.resolve("target").resolve("dptrain.jar");
    Path archive = deployDir.resolve("target").resolve("dptrain.jsa");
    if (classPath.equals(jar.toString()) && Files.isRegularFile(archive)) {
      command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    }
    command.addAll(dptrain.deploy.cluster.ChildJvm.blasProperties());
    command.addAll(List.of("-cp", classPath, "dptrain.deploy.Main", "train", "--workers", String.valueOf(nodes),
        "--workers-per-node", String.valueOf(lanes), "--epochs", String.valueOf(epochs), "--run-dir", runDir.toString()));
    return new Contender("dptrain", nodes + " node(s) x " + lanes + " lane(s)", List.copyOf(command),
        Map.of("OMP_NUM_THREADS", "1"), runDir);
  }

  /** The PyTorch peer: one process with {@code threads} threads, or DDP over gloo with {@code world} ranks. */
  static Contender torch(Path deployDir, int world, int threads, int epochs, int port) {
    return new Contender(world > 1 ? "pytorch ddp (gloo)" : "pytorch", world + " process(es) x " + threads + " thread(s)",
        List.of(PYTHON, deployDir.resolve("peers").resolve("torch_peer.py").toString(), "--world", String.valueOf(world),
            "--threads", String.valueOf(threads), "--epochs", String.valueOf(epochs), "--port", String.valueOf(port)),
        Map.of("OMP_NUM_THREADS", String.valueOf(threads), "OPENBLAS_NUM_THREADS", String.valueOf(threads)), null);
  }

  /** The DL4J peer (deploy/peers/dl4j, built apart), one OpenMP thread. */
  static Contender dl4j(Path deployDir, int epochs) throws IOException {
    Path target = deployDir.resolve("peers").resolve("dl4j").resolve("target");
    String classPath = target.resolve("classes") + java.io.File.pathSeparator
        + Files.readString(target.resolve("classpath.txt")).trim();
    return new Contender("dl4j", "1 process x 1 thread", List.of(javaCommand(), "-Xmx4g", "-cp", classPath,
        "dptrain.peers.dl4j.Dl4jPeer", String.valueOf(epochs)), Map.of("OMP_NUM_THREADS", "1"), null);
  }

  static final String PYTHON = "/usr/bin/python3";

  /** Why the PyTorch peer cannot run here, or null. */
  static String torchMissing() throws InterruptedException {
    try {
      Process probe = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
      probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return null;
      }
      probe.destroyForcibly();
    } catch (IOException e) {
      // no python3 at all
    }
    return "not installed (apt-get install -y python3-torch libopenblas0-pthread)";
  }

  /** Why the DL4J peer cannot run here, or null. */
  static String dl4jMissing(Path deployDir) {
    return Files.isRegularFile(deployDir.resolve("peers").resolve("dl4j").resolve("target").resolve("classpath.txt")) ? null
        : "not built (mvn -B -f deploy/peers/dl4j/pom.xml package)";
  }

  static String javaCommand() {
    return dptrain.deploy.cluster.ChildJvm.java();
  }
}
