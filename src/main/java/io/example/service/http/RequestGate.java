package io.example.service.http;

import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one handler in front of the router: counts each request, applies the {@link RequestLimits},
 * and during a shutdown tells the client to leave its connection (HTTP/1: {@code Connection: close}; HTTP/2:
 * the connection's GOAWAY) and can hold new requests back while the listener closes (see {@link HttpDrain}); an
 * HTTP/2 request only once its connection has had its first GOAWAY.
 *
 * <p>It is the server's request handler and hands the request to the router, rather than being the router's
 * first route: a route costs the router a match and a hop through its context for every request (about 3 % of
 * the CPU per request under load, profiled), for a handler that matches every request anyway. And no
 * per-request end handler, which cost a third of the router's own allocation per request.
 */
final class RequestGate {

  private final ServiceStatus status;
  private final HttpState state;
  private final RequestLimits limits;
  private final ConnectionTracker connections;
  private final WarmupTraffic warmup;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private volatile boolean holding;
  private volatile long lastArrivalNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

  /**
   * @param status whether the service is shutting down
   * @param state where each request is counted
   * @param warmup its requests are served like any other, but not counted
   */
  RequestGate(ServiceStatus status, HttpState state, RequestLimits limits, ConnectionTracker connections,
              WarmupTraffic warmup) {
    this.status = status;
    this.state = state;
    this.limits = limits;
    this.connections = connections;
    this.warmup = warmup;
  }

  /** The server's request handler for one HTTP instance: this gate, then {@code routes}. */
  Handler<HttpServerRequest> inFrontOf(Handler<HttpServerRequest> routes) {
    return request -> handle(request, routes);
  }

  private void handle(HttpServerRequest request, Handler<HttpServerRequest> routes) {
    // Outside a warm-up the header is not even looked up.
    if (warmup.active() && warmup.carries(request.getHeader(WarmupTraffic.HEADER))) {
      warmup.served();
    } else {
      state.requestReceived();
    }
    if (limits.intercepted(request, routes)) {
      return;
    }
    if (!status.isShuttingDown()) {
      routes.handle(request);
      return;
    }
    lastArrivalNanos = System.nanoTime();
    if (request.version() == HttpVersion.HTTP_2) {
      // No Connection header: HTTP/2 forbids connection-specific headers (RFC 9113 8.2.2), and a strict
      // client or proxy rejects the whole response. Its connection's graceful GOAWAY tells the client instead.
      if (connections.holdDuringGoAway(request.connection(), () -> pass(request, routes))) {
        return;
      }
      if (!connections.wentAway(request.connection())) {
        // Never held before its connection's first GOAWAY: some clients fail every active stream at a GOAWAY.
        routes.handle(request);
        return;
      }
    } else {
      // HTTP/1: the server closes the connection after this response; the client opens a new one.
      request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      request.connection().shutdown(1, TimeUnit.MINUTES);
    }
    pass(request, routes);
  }

  /** Routes the request now, or holds it while the listener closes. */
  private void pass(HttpServerRequest request, Handler<HttpServerRequest> routes) {
    if (holding) {
      Context context = Vertx.currentContext();
      held.add(() -> context.runOnContext(ignored -> routes.handle(request)));
      if (!holding) {
        release(); // released while this one was being added: do not strand it
      }
    } else {
      routes.handle(request);
    }
  }

  /** From now on new requests wait, unanswered, until {@link #release()}. */
  void hold() {
    holding = true;
  }

  /** Passes every held request on, each on its own event loop; later requests pass at once. */
  void release() {
    holding = false;
    for (Runnable next = held.poll(); next != null; next = held.poll()) {
      next.run();
    }
  }

  RequestLimits limits() { return limits; } // the refusal counters live there

  WarmupTraffic warmup() {
    return warmup;
  }

  /** When the last request arrived during the shutdown (System.nanoTime); long ago if none did. */
  long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  int heldCount() {
    return held.size();
  }
}
