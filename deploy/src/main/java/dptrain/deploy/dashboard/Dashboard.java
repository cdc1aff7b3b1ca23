package dptrain.deploy.dashboard;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import dptrain.deploy.report.JsonLine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The coordinator's live view of a run: follows the run folder's metrics.jsonl four times a
 * second into the dashboard's state and the Prometheus metrics, and serves both over Akka HTTP on
 * the coordinator node's ActorSystem (so it ends with that node).
 */
public final class Dashboard implements AutoCloseable {
  private static final Duration POLL_EVERY = Duration.ofMillis(250);

  private final ActorSystem<?> system;
  private final RunFeed feed;
  private final LiveRun run;
  private final TrainingMetrics metrics;
  private final akka.actor.Cancellable polling;
  private final CompletableFuture<Optional<ServerBinding>> binding;

  private Dashboard(ActorSystem<?> system, Path runDir, String job, DashboardOptions options) {
    this.system = system;
    this.feed = new RunFeed(runDir);
    this.run = new LiveRun(job);
    this.metrics = new TrainingMetrics(job);
    // Bound off the caller's thread: loading the HTTP server must not delay the run's first step.
    this.binding = CompletableFuture.supplyAsync(() -> bind(options), system.executionContext());
    this.polling = system.scheduler().scheduleAtFixedRate(POLL_EVERY, POLL_EVERY, this::poll, system.executionContext());
  }

  /**
   * Serves the dashboard of the run in {@code runDir} as {@code options} say; prints its address
   * once bound, or one warning line when the address cannot be bound (training does not depend on it).
   */
  public static Optional<Dashboard> start(ActorSystem<?> system, Path runDir, String job, DashboardOptions options) {
    return options.enabled() ? Optional.of(new Dashboard(system, runDir, job, options)) : Optional.empty();
  }

  private Optional<ServerBinding> bind(DashboardOptions options) {
    ClusterView cluster = new ClusterView(system);
    var routes = new DashboardRoutes(() -> run.toJson(cluster.toJson()), metrics::scrape);
    try {
      ServerBinding bound = Http.get(system).newServerAt(options.host(), options.port()).bind(routes.route())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      System.out.println("dashboard: http://" + hostForUrl(options.host()) + ":" + bound.localAddress().getPort()
          + "/ (metrics at /metrics)");
      return Optional.of(bound);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("warning: no dashboard: cannot serve on " + options.host() + ":" + options.port() + " ("
          + cause.getMessage() + "); use --dashboard-port to pick another port, or --no-dashboard");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The job ended with {@code reason} (it failed); the page says so until the node stops. */
  public void failed(String reason) {
    poll();
    run.failed(reason);
  }

  private synchronized void poll() {
    try {
      for (JsonLine line : feed.poll()) {
        run.add(line);
        metrics.add(line);
      }
    } catch (IOException e) {
      system.log().warn("dashboard: cannot read the run's metrics.jsonl: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    polling.cancel();
    poll();
    try {
      binding.get(10, TimeUnit.SECONDS).ifPresent(ServerBinding::unbind);
    } catch (ExecutionException | TimeoutException e) {
      system.log().warn("dashboard: did not stop cleanly: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostForUrl(String host) {
    return host.equals("0.0.0.0") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
  }
}
