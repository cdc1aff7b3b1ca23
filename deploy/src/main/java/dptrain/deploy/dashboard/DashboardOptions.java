package dptrain.deploy.dashboard;

import picocli.CommandLine.Option;

/** Where the coordinator serves its live dashboard and /metrics; a mixin of {@code train} and {@code coordinator}. */
public final class DashboardOptions {
  public static final int DEFAULT_PORT = 8470;

  @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_PORT, description = {
      "Serve the live dashboard (http://HOST:PORT/) and Prometheus metrics (/metrics) here; 0 picks a free",
      "port. When the port is taken, training goes on without them (default: ${DEFAULT-VALUE})."})
  int port = DEFAULT_PORT;

  @Option(names = "--dashboard-host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = {
      "The address the dashboard binds to: loopback unless you ask, e.g. 0.0.0.0 for every interface",
      "(default: ${DEFAULT-VALUE})."})
  String host = "127.0.0.1";

  @Option(names = "--no-dashboard", description = "Serve no dashboard and no /metrics.")
  boolean off;

  public boolean enabled() {
    return !off;
  }

  public int port() {
    return port;
  }

  public String host() {
    return host;
  }

  /** Options for a run that serves nothing (benchmarks, ensembles, tests). */
  public static DashboardOptions none() {
    DashboardOptions options = new DashboardOptions();
    options.off = true;
    return options;
  }
}
