package dptrain.deploy.console;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;

/**
 * Keeps one line per cluster event on the console: drops Akka's own warnings for events the
 * coordinator reports in its own words (a worker unreachable or left: "worker ... became
 * unreachable after step N", the shards rolled back), namely the failure detector's marking,
 * the split-brain resolver's downing decision and the quarantine of the removed node's
 * association. Every other Akka line passes, and with DPTRAIN_LOG_LEVEL=DEBUG nothing is dropped.
 */
public final class ClusterEchoFilter extends Filter<ILoggingEvent> {
  /** Logger name and the start of the message (after Akka's "Cluster Node [...] - " prefix, if any). */
  private record Echo(String logger, String message) {}

  private static final List<Echo> ECHOES = List.of(
      new Echo("akka.cluster.Cluster", "Marking node as UNREACHABLE"),
      new Echo("akka.cluster.Cluster", "Marking node as REACHABLE"),
      new Echo("akka.cluster.Cluster", "Marking node(s) as REACHABLE"),
      new Echo("akka.cluster.sbr.SplitBrainResolver", "SBR took decision"),
      new Echo("akka.remote.artery.Association", "Association to"));

  private final boolean keepAll = "DEBUG".equalsIgnoreCase(System.getenv("DPTRAIN_LOG_LEVEL"));

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (keepAll || event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      return FilterReply.NEUTRAL;
    }
    return isEcho(event.getLoggerName(), event.getFormattedMessage()) ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  static boolean isEcho(String logger, String message) {
    String text = message.startsWith("Cluster Node [") && message.contains("] - ")
        ? message.substring(message.indexOf("] - ") + 4) : message;
    return ECHOES.stream().anyMatch(echo -> logger.startsWith(echo.logger()) && text.startsWith(echo.message()));
  }
}
