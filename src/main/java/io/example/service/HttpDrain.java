package io.example.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
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
 * VERTX5-FACTS Q7 measured why: closing the listener while clients reconnect loses requests.
 */
final class HttpDrain {

  static final long QUIET_MS = 50;
  static final long MAX_QUIESCE_MS = 1000;
  static final long MAX_PROBE_MS = 500;
  private static final Logger log = LoggerFactory.getLogger(HttpDrain.class);

  private final ServiceStatus status;
  private final RequestGate gate;
  private final String host;
  private final long drainDelayMs;
  private final LongSupplier remainingMs;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** @param remainingMs how long requests in flight may still take (see {@link StopSequence#boundMs()}) */
  HttpDrain(ServiceStatus status, RequestGate gate, String host, long drainDelayMs, LongSupplier remainingMs) {
    this.status = status;
    this.gate = gate;
    this.host = host;
    this.drainDelayMs = drainDelayMs;
    this.remainingMs = remainingMs;
  }

  void add(HttpServer server) {
    servers.add(server);
  }

  /** Runs the drain once; every HTTP instance's stop() shares the result. */
  Future<Void> drain(Vertx vertx) {
    status.draining();
    log.info("http draining: readiness reports 503 for {} ms while requests are still served", drainDelayMs);
    return delay(vertx, drainDelayMs)
        .compose(ignored -> quiesce(vertx))
        .compose(ignored -> closeListeners(vertx));
  }

  private Future<Void> quiesce(Vertx vertx) {
    gate.hold();
    long startNanos = System.nanoTime();
    Promise<Void> quiet = Promise.promise();
    if (gate.quietForMs() >= QUIET_MS) {
      log.info("http quiet, no request in flight");
      return Future.succeededFuture();
    }
    vertx.setPeriodic(5, timer -> {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      if (gate.quietForMs() >= QUIET_MS || waitedMs >= MAX_QUIESCE_MS) {
        vertx.cancelTimer(timer);
        log.info("http quiet after {} ms, {} requests held", waitedMs, gate.heldCount());
        quiet.complete();
      }
    });
    return quiet.future();
  }

  private Future<Void> closeListeners(Vertx vertx) {
    status.stopping();
    long graceMs = remainingMs.getAsLong();
    long inFlight = status.requestsInFlight();
    List<Future<Void>> shutdowns = servers.stream().map(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS)).toList();
    int port = servers.isEmpty() ? -1 : servers.get(0).actualPort();
    Future<Boolean> refused = port <= 0 ? Future.succeededFuture(true)
        : ListenerProbe.awaitRefused(vertx, host, port, MAX_PROBE_MS);
    return refused.compose(closed -> {
      log.info("http listener closed{}; {} requests in flight have {} ms to finish",
          closed ? "" : " (still connectable after " + MAX_PROBE_MS + " ms)", inFlight, remainingMs.getAsLong());
      gate.release();
      return Future.join(shutdowns).mapEmpty();
    });
  }

  private static Future<?> delay(Vertx vertx, long ms) {
    return ms == 0 ? Future.succeededFuture() : vertx.timer(ms, TimeUnit.MILLISECONDS);
  }
}
