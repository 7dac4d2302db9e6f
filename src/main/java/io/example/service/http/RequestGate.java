package io.example.service.http;

import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The one handler in front of the routes: counts each request, applies the {@link RequestLimits},
 * and during a shutdown tells the client to leave its connection and can hold new requests back while the
 * listener closes (see {@link HttpDrain}). One handler, so the router makes one hop, not one per check;
 * and no per-request end handler, which cost a third of the router's own allocation per request.
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
    status.requestReceived();
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

  /** When the last request arrived during the shutdown (System.nanoTime); long ago if none did. */
  long lastArrivalNanos() {
    return lastArrivalNanos;
  }

  int heldCount() {
    return held.size();
  }
}
