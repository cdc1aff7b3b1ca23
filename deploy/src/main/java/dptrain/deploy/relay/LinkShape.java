package dptrain.deploy.relay;

import dptrain.deploy.UsageException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a relayed link does to the bytes it carries: each arrives {@code latency} after it was
 * sent, and the link carries at most {@code bytesPerSecond} (0: no limit), like a NIC of that
 * speed with that propagation delay behind it.
 */
public record LinkShape(Duration latency, long bytesPerSecond) {
  public static final LinkShape NONE = new LinkShape(Duration.ZERO, 0);

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s)");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]?)(b|bit)/s");

  public LinkShape {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must be >= 0, got " + latency);
    }
    if (bytesPerSecond < 0) {
      throw new IllegalArgumentException("bandwidth must be >= 0 bytes/s, got " + bytesPerSecond);
    }
  }

  /** "5ms", "250us", "0.1s". */
  public static Duration parseLatency(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("a latency is a number with us, ms or s (e.g. 5ms), got '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1));
    double nanos = value * switch (m.group(2)) {
      case "us" -> 1e3;
      case "ms" -> 1e6;
      default -> 1e9;
    };
    return Duration.ofNanos(Math.round(nanos));
  }

  /** "100MB/s" (bytes), "800Mbit/s" (bits), "1GB/s"; k, M and G are powers of 1000, as NICs are sold. */
  public static long parseBandwidth(String text) {
    Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("a bandwidth is a number with B/s or bit/s and an optional k, M or G (e.g. 100MB/s,"
          + " 1Gbit/s), got '" + text + "'");
    }
    double value = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
      case "k" -> 1e3;
      case "m" -> 1e6;
      case "g" -> 1e9;
      default -> 1;
    };
    if (m.group(3).equals("bit")) {
      value /= 8;
    }
    long bytes = Math.round(value);
    if (bytes < 1) {
      throw new UsageException("a bandwidth must be at least 1 byte/s, got '" + text + "'");
    }
    return bytes;
  }

  /** "latency 5 ms, bandwidth 100.0 MB/s" (or "no limit"). */
  public String describe() {
    String rate = bytesPerSecond == 0 ? "no bandwidth limit" : String.format(Locale.ROOT, "bandwidth %.1f MB/s", bytesPerSecond / 1e6);
    return String.format(Locale.ROOT, "latency %.3f ms, %s", latency.toNanos() / 1e6, rate);
  }
}
