package io.example.service.metrics;

import io.example.service.lifecycle.WarmupTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's HTTP server meters, under Vert.x's own names. vertx-micrometer-metrics builds a tag set and looks
 * up five meters (and re-registers a gauge) on every request even with no labels: about three quarters of
 * the cost that metrics added per request, profiled. Here a request costs three adder updates; the meters
 * read the adders when scraped, so they can be registered later than the first request (see
 * {@link MetricsComponent}), and the response time is a count and a sum, without a per-request maximum.
 * One instance serves every HTTP server of a Vert.x, as one registration would.
 */
final class LeanHttpServerMetrics implements HttpServerMetrics<LeanHttpServerMetrics.Exchange, Void, Void> {

  /** One request: when it began, and whether it has been counted out of the active ones. */
  static final class Exchange {
    final long beganNanos = System.nanoTime();
    boolean done;
  }

  private final LongAdder responses = new LongAdder();
  private final LongAdder responseNanos = new LongAdder();
  private final LongAdder resets = new LongAdder();
  private final LongAdder activeRequests = new LongAdder();
  private final LongAdder activeConnections = new LongAdder();
  /** What a warm-up request gets instead of an exchange of its own: nothing is counted for it. */
  private static final Exchange WARMUP = new Exchange();
  private volatile WarmupTraffic warmup;

  /** Registers the meters, which read what was counted from the first request on. */
  void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("vertx.http.server.request.resets", resets, LongAdder::doubleValue)
        .description("Number of request resets").register(registry);
    FunctionTimer.builder("vertx.http.server.response.time", this, m -> m.responses.sum(),
            m -> m.responseNanos.sum(), TimeUnit.NANOSECONDS)
        .description("Request processing time").register(registry);
    FunctionCounter.builder("vertx.http.server.requests", responses, LongAdder::doubleValue)
        .description("Number of processed requests").register(registry);
    Gauge.builder("vertx.http.server.active.requests", activeRequests, LongAdder::doubleValue)
        .description("Number of requests being processed").register(registry);
    Gauge.builder("vertx.http.server.active.connections", activeConnections, LongAdder::doubleValue)
        .description("Number of opened connections to the server").register(registry);
  }

  /**
   * The warm-up's requests are not counted. Its connections are (active connections), but they are all
   * closed before the service says READY.
   */
  void leaveOut(WarmupTraffic traffic) {
    warmup = traffic;
  }

  @Override
  public Exchange requestBegin(Void socket, HttpRequest request) {
    WarmupTraffic traffic = warmup;
    if (traffic != null && traffic.active() && traffic.carries(request.headers().get(WarmupTraffic.HEADER))) {
      return WARMUP;
    }
    activeRequests.increment();
    return new Exchange();
  }

  @Override
  public void requestReset(Exchange exchange) {
    if (exchange == WARMUP) {
      return;
    }
    resets.increment();
    finish(exchange);
  }

  @Override
  public void responseEnd(Exchange exchange, HttpResponse response, long bytesWritten) {
    if (exchange == WARMUP) {
      return;
    }
    responseNanos.add(System.nanoTime() - exchange.beganNanos);
    responses.increment();
    finish(exchange);
  }

  @Override
  public Void connected(SocketAddress remoteAddress, String remoteName) {
    activeConnections.increment();
    return null;
  }

  @Override
  public void disconnected(Void socket, SocketAddress remoteAddress) {
    activeConnections.decrement();
  }

  private void finish(Exchange exchange) {
    if (!exchange.done) {
      exchange.done = true;
      activeRequests.decrement();
    }
  }
}
