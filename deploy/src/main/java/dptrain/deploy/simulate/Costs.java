package dptrain.deploy.simulate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What each part of a step costs on the machine that was calibrated ({@code dptrain simulate
 * --calibrate}), in CPU time: the gradient per step and per sample (for a model of {@code
 * calibratedParameters}; scaled by parameters for others), the shards' apply per parameter, the
 * codec per byte each way, a message between actors of one node, a message over Artery (its
 * one-way latency, which is waking threads more than work, and the work per byte on each side),
 * the copying of a link-emulating relay ({@code dptrain relay}) per byte, and how much two jobs
 * at once get out of the machine's cores.
 */
public record Costs(
    String measuredOn,
    long calibratedParameters,
    double gradientFixedMs,
    double gradientPerSampleMs,
    double applyNsPerParameter,
    double encodeNsPerByte,
    double decodeNsPerByte,
    double localHopMs,
    double messageLatencyMs,
    double transportNsPerByte,
    double relayNsPerByte,
    int machineCores,
    double machineCapacity) {

  /** This 2-core machine, 2026-12-01 ({@code dptrain simulate --calibrate}); used when no --costs file is given. */
  public static final Costs BUILT_IN = new Costs("built in: calibrated 2026-12-01 on this project's 2-core Debian VM", 235_146,
      0.667, 0.027344, 4.6779, 0.24666, 0.28280, 0.07680, 0.31080, 3.10332, 0.44367, 2, 1.463);

  /** The gradient's CPU time for {@code rows} samples of a model with {@code parameters}. */
  double gradientMs(long parameters, double rows) {
    return gradientFixedMs + gradientPerSampleMs * rows * parameters / calibratedParameters;
  }

  static Costs read(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new dptrain.deploy.UsageException("cannot read the costs file " + file + " (write one with 'dptrain simulate"
          + " --calibrate --costs " + file + "')");
    }
    Config c = ConfigFactory.parseFile(file.toFile()).getConfig("costs");
    return new Costs(c.getString("measured-on"), c.getLong("calibrated-parameters"), c.getDouble("gradient-fixed-ms"),
        c.getDouble("gradient-per-sample-ms"), c.getDouble("apply-ns-per-parameter"), c.getDouble("encode-ns-per-byte"),
        c.getDouble("decode-ns-per-byte"), c.getDouble("local-hop-ms"), c.getDouble("message-latency-ms"),
        c.getDouble("transport-ns-per-byte"), c.getDouble("relay-ns-per-byte"), c.getInt("machine-cores"),
        c.getDouble("machine-capacity"));
  }

  void write(Path file) throws IOException {
    Files.writeString(file, String.format(Locale.ROOT, """
        # dptrain simulate --calibrate: what each part of a step costs here (CPU time).
        costs {
          measured-on = "%s"
          calibrated-parameters = %d
          gradient-fixed-ms = %.5f
          gradient-per-sample-ms = %.6f
          apply-ns-per-parameter = %.4f
          encode-ns-per-byte = %.5f
          decode-ns-per-byte = %.5f
          local-hop-ms = %.5f
          message-latency-ms = %.5f
          transport-ns-per-byte = %.5f
          relay-ns-per-byte = %.5f
          machine-cores = %d
          machine-capacity = %.3f
        }
        """, measuredOn.replace("\"", "'"), calibratedParameters, gradientFixedMs, gradientPerSampleMs, applyNsPerParameter,
        encodeNsPerByte, decodeNsPerByte, localHopMs, messageLatencyMs, transportNsPerByte, relayNsPerByte, machineCores,
        machineCapacity));
  }

  String describe() {
    return String.format(Locale.ROOT, "costs (%s): gradient %.3f ms + %.4f ms/sample (%,d parameters), apply %.2f ns/parameter,"
        + " encode %.3f and decode %.3f ns/byte, local hop %.3f ms, Artery message %.3f ms one way + %.3f ns/byte on each side,"
        + " a relay %.3f ns/byte, %d cores giving %.2f", measuredOn, gradientFixedMs, gradientPerSampleMs, calibratedParameters, applyNsPerParameter,
        encodeNsPerByte, decodeNsPerByte, localHopMs, messageLatencyMs, transportNsPerByte, relayNsPerByte, machineCores, machineCapacity);
  }
}
