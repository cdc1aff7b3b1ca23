package dptrain.deploy.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dptrain.deploy.UsageException;

/** Reads typed values of the train options, turning every bad value into a one-line usage error. */
final class ConfigReader {
  private final Config config;

  ConfigReader(Config config) {
    this.config = config;
  }

  String string(String key) {
    try {
      return config.getString(key).trim();
    } catch (ConfigException e) {
      throw new UsageException("--" + key + " must be a string (" + e.getMessage() + ")");
    }
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw new UsageException("--" + key + " must be true or false, got '" + raw(key) + "'");
    }
  }

  double number(String key) {
    try {
      double value = config.getDouble(key);
      if (!Double.isFinite(value)) {
        throw new UsageException("--" + key + " must be a finite number, got '" + raw(key) + "'");
      }
      return value;
    } catch (ConfigException e) {
      throw new UsageException("--" + key + " must be a number, got '" + raw(key) + "'");
    }
  }

  long whole(String key, long min) {
    long value;
    try {
      // HOCON reads 1.5 as a long by dropping the fraction: a whole number must be one.
      double asNumber = config.getNumber(key).doubleValue();
      if (!Double.isFinite(asNumber) || asNumber != Math.rint(asNumber)) {
        throw new UsageException("--" + key + " must be a whole number >= " + min + ", got '" + raw(key) + "'");
      }
      value = config.getLong(key);
    } catch (ConfigException e) {
      throw new UsageException("--" + key + " must be a whole number >= " + min + ", got '" + raw(key) + "'");
    }
    if (value < min) {
      throw new UsageException("--" + key + " must be a whole number >= " + min + ", got " + value);
    }
    return value;
  }

  /** A duration such as 30s, 5m or 0 (HOCON's units; a bare number is milliseconds), not negative. */
  java.time.Duration duration(String key) {
    java.time.Duration value;
    try {
      value = config.getDuration(key);
    } catch (ConfigException e) {
      throw new UsageException("--" + key + " must be a duration such as 30s, 5m or 0, got '" + raw(key) + "'");
    }
    if (value.isNegative()) {
      throw new UsageException("--" + key + " must not be negative, got " + raw(key));
    }
    return value;
  }

  private String raw(String key) {
    try {
      return config.getValue(key).unwrapped().toString();
    } catch (ConfigException e) {
      return "(missing)";
    }
  }
}
