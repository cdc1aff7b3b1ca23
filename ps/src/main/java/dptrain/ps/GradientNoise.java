package dptrain.ps;

/**
 * Annealed Gaussian gradient noise (Neelakantan et al. 2015): N(0, eta / (1 + t)^gamma) added
 * to every gradient value. Each value's noise is a pure function of (seed, step, position),
 * counter-based like Philox, so it is the same however the vector is split into shards and pieces.
 */
final class GradientNoise {
  private GradientNoise() {}

  static double standardDeviation(double eta, double gamma, long step) {
    return Math.sqrt(eta / Math.pow(1 + step, gamma));
  }

  /** A standard normal value for (seed, step, position), by Box-Muller on two hashed uniforms. */
  static double gaussian(long seed, long step, long position) {
    long base = mix(mix(seed ^ 0x9E3779B97F4A7C15L) + step);
    long a = mix(base + 2 * position);
    long b = mix(base + 2 * position + 1);
    double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]
    double u2 = (b >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** SplitMix64's finaliser: a bijective 64-bit mix. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
