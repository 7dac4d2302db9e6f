package io.example.service.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Vert.x metrics SPI of the main mode: the HTTP server's meters ({@link LeanHttpServerMetrics}) and no
 * other category, which is all that the service's metrics options enable. It needs no registry: the meters
 * count into adders from the first request, and {@link MetricsComponent} registers them once it has built
 * the registry, after the start.
 */
final class LeanVertxMetrics implements VertxMetrics {

  /** The SPI of each live Vert.x built by {@link MetricsSetup}, for its metrics component to find. */
  private static final Map<Vertx, LeanVertxMetrics> BY_VERTX = new ConcurrentHashMap<>();

  private final LeanHttpServerMetrics httpServer = new LeanHttpServerMetrics();
  private volatile Vertx vertx;

  /** The HTTP server meters of {@code vertx}, or null when it was not built with this SPI. */
  static LeanHttpServerMetrics httpServerOf(Vertx vertx) {
    LeanVertxMetrics metrics = BY_VERTX.get(vertx);
    return metrics == null ? null : metrics.httpServer;
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
    return httpServer;
  }

  @Override
  public void vertxCreated(Vertx vertx) {
    this.vertx = vertx;
    BY_VERTX.put(vertx, this);
  }

  @Override
  public boolean isMetricsEnabled() {
    return true;
  }

  @Override
  public void close() {
    Vertx closed = vertx;
    if (closed != null) {
      BY_VERTX.remove(closed);
    }
  }
}
