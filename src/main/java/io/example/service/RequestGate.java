package io.example.service;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one handler in front of the routes: counts each request in flight, applies the {@link RequestLimits},
 * and during a shutdown tells the client to leave its connection and can hold new requests back while the
 * listener closes (see {@link HttpDrain}). One handler, so the router makes one hop, not one per check.
 */
final class RequestGate {

  private final ServiceStatus status;
  private final RequestLimits limits;
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private volatile boolean holding;
  private volatile long lastArrivalNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);

  RequestGate(ServiceStatus status, RequestLimits limits) {
    this.status = status;
    this.limits = limits;
  }

  void handle(RoutingContext ctx) {
    status.requestStarted();
    ctx.addEndHandler(ignored -> status.requestEnded());
    if (limits.intercepted(ctx)) {
      return;
    }
    if (!status.isShuttingDown()) {
      ctx.next();
      return;
    }
    lastArrivalNanos = System.nanoTime();
    // HTTP/1.1: Connection: close, and the server closes the connection after this response.
    // HTTP/2: GOAWAY. Either way the client opens a new connection for its next request.
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    ctx.request().connection().shutdown(1, TimeUnit.MINUTES);
    if (holding) {
      Context context = Vertx.currentContext();
      held.add(() -> context.runOnContext(ignored -> ctx.next()));
      if (!holding) {
        release(); // released while this one was being added: do not strand it
      }
    } else {
      ctx.next();
    }
  }

  /** From now on new requests wait, unanswered, until {@link #release()}. */
  void hold() {
    if (status.requestsInFlight() > 0) {
      // Arrivals are timed only once the shutdown has begun; with no drain delay that was a moment ago,
      // so a busy service must show its quiet from now on. An idle one closes at once.
      lastArrivalNanos = System.nanoTime();
    }
    holding = true;
  }

  /** Passes every held request on, each on its own event loop; later requests pass at once. */
  void release() {
    holding = false;
    for (Runnable next = held.poll(); next != null; next = held.poll()) {
      next.run();
    }
  }

  /** How long ago the last request arrived during the shutdown. */
  long quietForMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastArrivalNanos);
  }

  int heldCount() {
    return held.size();
  }
}
