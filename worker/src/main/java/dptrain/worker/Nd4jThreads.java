package dptrain.worker;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Sets how many threads ND4J's native core uses per operation (for the whole process). Set it
 * on purpose: workers that share cores oversubscribe them when each op spawns one thread per core.
 */
public final class Nd4jThreads {
  private Nd4jThreads() {}

  public static void apply(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("ND4J threads must be >= 1, got " + threads);
    }
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
  }
}
