package dptrain.worker.random;

import java.util.SplittableRandom;

/**
 * Derives independent seeds from the job's one seed, per purpose and key (epoch, layer, ...),
 * so that no component shares a global {@code Random} and every draw is reproducible.
 */
public final class Seeds {
  private Seeds() {}

  public static long derive(long seed, String purpose, long... keys) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (int i = 0; i < purpose.length(); i++) {
      h = mix(h ^ purpose.charAt(i));
    }
    for (long key : keys) {
      h = mix(h ^ mix(key + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  public static SplittableRandom random(long seed, String purpose, long... keys) {
    return new SplittableRandom(derive(seed, purpose, keys));
  }

  /** SplitMix64's finaliser: a bijective 64-bit mix. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
