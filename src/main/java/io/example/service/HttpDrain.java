package io.example.service;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening servers of every HTTP instance, drained together when the service stops:
 * readiness reports DRAINING while requests are still served for {@code drainDelayMs}, every response
 * asks its client to close the connection, then the listeners close and requests in flight finish.
 */
final class HttpDrain {

  private static final Logger log = LoggerFactory.getLogger(HttpDrain.class);

  private final ServiceStatus status;
  private final long drainDelayMs;
  private final LongSupplier remainingMs;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** @param remainingMs time left before the shutdown deadline */
  HttpDrain(ServiceStatus status, long drainDelayMs, LongSupplier remainingMs) {
    this.status = status;
    this.drainDelayMs = drainDelayMs;
    this.remainingMs = remainingMs;
  }

  void add(HttpServer server) {
    servers.add(server);
  }

  /**
   * The first handler of every request. While the service runs it costs one volatile read; once the
   * shutdown has begun it tells the client to leave this connection (HTTP/1.1 {@code Connection: close},
   * HTTP/2 GOAWAY), which is closed when its response is done.
   */
  void handle(RoutingContext ctx) {
    if (status.isShuttingDown()) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.request().connection().shutdown(remainingMs.getAsLong(), TimeUnit.MILLISECONDS);
    }
    ctx.next();
  }

  /** Runs the drain once; every HTTP instance's stop() shares the result. */
  Future<Void> drain(Vertx vertx) {
    status.draining();
    log.info("http draining: readiness reports 503 for {} ms while requests are still served", drainDelayMs);
    Future<?> delay = drainDelayMs == 0 ? Future.succeededFuture() : vertx.timer(drainDelayMs, TimeUnit.MILLISECONDS);
    return delay.compose(ignored -> closeListeners());
  }

  private Future<Void> closeListeners() {
    status.stopping();
    long graceMs = remainingMs.getAsLong();
    log.info("http closing its listener; requests in flight have {} ms to finish", graceMs);
    List<Future<Void>> shutdowns = servers.stream().map(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList();
    return Future.join(shutdowns).mapEmpty();
  }
}
