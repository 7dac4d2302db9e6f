package io.example.service.metrics;

import io.example.service.config.ServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Vert.x's metrics are chosen when Vert.x is built, before any verticle exists: every launch mode that builds
 * Vert.x itself takes its options from here. With {@code metrics.enabled} false they are Vert.x's plain
 * defaults: no metrics SPI, so requests pay nothing.
 */
public final class MetricsSetup {

  /** Vert.x's default registry name, so that a launcher's {@code -options} JSON lands on the same registry. */
  public static final String REGISTRY_NAME = MicrometerMetricsOptions.DEFAULT_REGISTRY_NAME;

  /**
   * No labels on Vert.x's HTTP server meters. A path label would make one series per URL a client invents;
   * and any label (even the status code) makes Vert.x build a new tag set on every request and look each
   * of its meters up by it: with the code label CPU per request rose by about a quarter, measured.
   */
  static final Set<Label> LABELS = EnumSet.noneOf(Label.class);

  private MetricsSetup() {}

  /** The options to build Vert.x with, in the main mode (and a clustered one). */
  public static VertxOptions vertxOptions(ServiceConfig config) {
    VertxOptions options = new VertxOptions();
    return config.metrics().enabled() ? options.setMetricsOptions(metricsOptions()) : options;
  }

  /**
   * Vert.x's builder for the main mode (and a clustered one): the options above, and with metrics on, our
   * own metrics SPI ({@link LeanVertxMetrics}), with the HTTP server's meters alone, which are all that the
   * options enable. It builds no registry, so Vert.x is built as fast as without metrics: the Prometheus
   * registry and vertx-micrometer-metrics' own set-up took about 30 ms of the main thread before Vert.x
   * existed. {@link MetricsComponent} makes the registry after the start. (A launcher's {@code -options}
   * file can only name vertx-micrometer-metrics' own HTTP meters: the same names, at a higher cost per
   * request, and a registry that Vert.x makes at once.)
   */
  public static VertxBuilder vertxBuilder(ServiceConfig config, VertxOptions base) {
    VertxBuilder builder = Vertx.builder()
        .with(config.metrics().enabled() ? base.setMetricsOptions(metricsOptions()) : base);
    if (config.metrics().enabled()) {
      builder.withMetrics(options -> new LeanVertxMetrics());
    }
    return builder;
  }

  /** Prometheus, our label set, and only the HTTP server's meters among Vert.x's own. */
  public static MicrometerMetricsOptions metricsOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(REGISTRY_NAME)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setLabels(LABELS)
        // JVM meters are bound by MetricsComponent, in every launch mode; Vert.x would bind them twice.
        .setJvmMetricsEnabled(false)
        .setDisabledMetricsCategories(EnumSet.complementOf(EnumSet.of(MetricsDomain.HTTP_SERVER)).stream()
            .map(MetricsDomain::toCategory).collect(Collectors.toSet()));
  }
}
