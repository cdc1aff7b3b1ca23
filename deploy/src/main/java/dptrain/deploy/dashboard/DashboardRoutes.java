package dptrain.deploy.dashboard;

import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * The dashboard's HTTP interface: the page ({@code /}), uPlot from its WebJar ({@code /uplot.js},
 * {@code /uplot.css}), the run's state as JSON ({@code /api/state}), the same state pushed every
 * second as server-sent events ({@code /api/events}), and Prometheus's text format ({@code /metrics}).
 */
final class DashboardRoutes extends AllDirectives {
  static final Duration PUSH_EVERY = Duration.ofSeconds(1);
  private static final String UPLOT = "META-INF/resources/webjars/uplot/" + webJarVersion() + "/dist/";

  private final Supplier<String> state;
  private final Supplier<String> metrics;
  private final byte[] page = resource("dashboard/index.html");

  DashboardRoutes(Supplier<String> state, Supplier<String> metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  Route route() {
    return get(() -> concat(
        pathSingleSlash(() -> complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))),
        path("uplot.js", () -> getFromResource(UPLOT + "uPlot.iife.min.js",
            ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, akka.http.javadsl.model.HttpCharsets.UTF_8))),
        path("uplot.css", () -> getFromResource(UPLOT + "uPlot.min.css")),
        pathPrefix("api", () -> concat(
            path("state", () -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, state.get()))),
            path("events", () -> completeOK(events(), EventStreamMarshalling.toEventStream())))),
        path("metrics", () -> complete(HttpEntities.create(prometheusText(),
            metrics.get().getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
  }

  /** The state now and then every {@link #PUSH_EVERY}, for as long as the page listens. */
  private Source<ServerSentEvent, akka.NotUsed> events() {
    return Source.tick(Duration.ZERO, PUSH_EVERY, "tick").map(tick -> ServerSentEvent.create(state.get(), "state"))
        .mapMaterializedValue(cancellable -> akka.NotUsed.getInstance());
  }

  private static ContentType prometheusText() {
    return ContentTypes.parse(TrainingMetrics.CONTENT_TYPE);
  }

  /** The uPlot version packed into the jar, from the WebJar's own Maven metadata. */
  private static String webJarVersion() {
    Properties properties = new Properties();
    try (InputStream in = DashboardRoutes.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uPlot WebJar is not on the class path");
      }
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is not on the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
