package io.example.service.http;

import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the listening servers of every HTTP instance together, so that no request that reached us fails:
 * <ol>
 *   <li>readiness reports DRAINING and every response says {@code Connection: close}, while requests are
 *       still served for {@code drainDelayMs} (a load balancer stops sending meanwhile);</li>
 *   <li>new requests are held until none has arrived for {@value #QUIET_MS} ms, so no client is between
 *       connections when the listener closes;</li>
 *   <li>the listeners close, and we wait until a connect is really refused;</li>
 *   <li>the held requests are released and answered, and requests in flight finish.</li>
 * </ol>
 * Why: once every response says {@code Connection: close}, clients reconnect after every request, and
 * closing the listener while they do loses requests. Vert.x stops accepting a little before the listening
 * socket really closes (a connection accepted between the two is dropped unanswered), the kernel resets
 * what waits in the accept queue, and Java's NIO closes the socket only at the selector's next wake-up.
 * Holding requests until the clients are all waiting on one means nobody is connecting when it closes.
 */
final class HttpDrain {

  static final long QUIET_MS = 50;
  static final long TICK_MS = 5;
  static final long MAX_QUIESCE_MS = 1000;
  static final long MAX_PROBE_MS = 500;
  private static final Logger log = LoggerFactory.getLogger(HttpDrain.class);

  private final ServiceStatus status;
  private final RequestGate gate;
  private final String host;
  private final long drainDelayMs;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  HttpDrain(ServiceStatus status, RequestGate gate, String host, long drainDelayMs) {
    this.status = status;
    this.gate = gate;
    this.host = host;
    this.drainDelayMs = drainDelayMs;
  }

  void add(HttpServer server) {
    servers.add(server);
  }

  /** Runs the drain, once, for every instance; requests in flight may take until {@code deadline}. */
  Future<Void> drain(Vertx vertx, Deadline deadline) {
    status.draining();
    log.info("http draining: readiness reports 503 for {} ms while requests are still served", drainDelayMs);
    return delay(vertx, drainDelayMs)
        .compose(ignored -> quiesce(vertx))
        .compose(ignored -> closeListeners(vertx, deadline));
  }

  /**
   * Holds new requests until none has arrived for {@value #QUIET_MS} ms. Arrivals are timed only once the
   * shutdown has begun, so the request counter is watched too: it shows a service that was busy right up to
   * a signal with no drain delay. An idle service is quiet after one {@value #TICK_MS} ms look.
   */
  private Future<Void> quiesce(Vertx vertx) {
    gate.hold();
    long startNanos = System.nanoTime();
    long[] seen = {status.requestsReceived()};
    long[] lastChangeNanos = {Math.max(gate.lastArrivalNanos(), startNanos - ms(QUIET_MS - TICK_MS))};
    Promise<Void> quiet = Promise.promise();
    vertx.setPeriodic(TICK_MS, timer -> {
      long now = System.nanoTime();
      long received = status.requestsReceived();
      if (received != seen[0]) {
        seen[0] = received;
        lastChangeNanos[0] = now;
      }
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
      if (now - lastChangeNanos[0] >= ms(QUIET_MS) || waitedMs >= MAX_QUIESCE_MS) {
        vertx.cancelTimer(timer);
        log.info("http quiet after {} ms, {} requests held", waitedMs, gate.heldCount());
        quiet.complete();
      }
    });
    return quiet.future();
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  private Future<Void> closeListeners(Vertx vertx, Deadline deadline) {
    status.stopping();
    long graceMs = deadline.remainingMs();
    List<Future<Void>> shutdowns = servers.stream().map(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList();
    int port = servers.isEmpty() ? -1 : servers.get(0).actualPort();
    Future<Boolean> refused = port <= 0 ? Future.succeededFuture(true)
        : ListenerProbe.awaitRefused(vertx, host, port, MAX_PROBE_MS);
    return refused.compose(closed -> {
      log.info("http listener closed{}; requests in flight have {} ms to finish",
          closed ? "" : " (still connectable after " + MAX_PROBE_MS + " ms)", deadline.remainingMs());
      gate.release();
      return Future.join(shutdowns).mapEmpty();
    });
  }

  private static Future<?> delay(Vertx vertx, long ms) {
    return ms == 0 ? Future.succeededFuture() : vertx.timer(ms, TimeUnit.MILLISECONDS);
  }
}
