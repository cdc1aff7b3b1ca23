package dptrain.coordinator.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * The Coordinator's own settings ({@code dptrain.coordinator} in this module's reference.conf,
 * each documented there), read once into a typed value: other modules take them from here and
 * never read the keys themselves.
 */
public record ControlSettings(Duration stepTimeout, Duration retryAfter, Duration readyTimeout, int lookahead,
    int evalBatch) {

  public static ControlSettings from(Config config) {
    Config c = config.getConfig("dptrain.coordinator");
    return new ControlSettings(c.getDuration("step-timeout"), c.getDuration("retry-after"), c.getDuration("ready-timeout"),
        c.getInt("lookahead"), c.getInt("eval-batch"));
  }

  /** From the application's configuration (reference.conf, application.conf, system properties). */
  public static ControlSettings load() {
    return from(ConfigFactory.load());
  }
}
