package io.example.service.http;

import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the listening servers of every HTTP instance together, so that no request that reached us fails:
 * <ol>
 *   <li>readiness reports DRAINING and every HTTP/1 response says {@code Connection: close}, while requests
 *       are still served for {@code drainDelayMs} (a load balancer stops sending meanwhile);</li>
 *   <li>every HTTP/2 connection gets the first GOAWAY of a {@link GracefulGoAway}, at a moment when it has no
 *       stream in flight (or after a bounded wait); then new requests are held until none has arrived for
 *       {@value #QUIET_MS} ms, so no client is between connections when the listener closes (an HTTP/2 request
 *       only once its connection has had that GOAWAY); then the HTTP/2 connections get their last GOAWAY;</li>
 *   <li>the listeners close, and we wait until a connect is really refused;</li>
 *   <li>the held requests are released and answered, and the drain ends when no connection has anything
 *       in flight ({@link ConnectionTracker}). Sockets that never sent a complete request are left to the
 *       server's close, which follows at once.</li>
 * </ol>
 * Why: once every response says {@code Connection: close}, clients reconnect after every request, and
 * closing the listener while they do loses requests. Vert.x stops accepting a little before the listening
 * socket really closes (a connection accepted between the two is dropped unanswered), the kernel resets
 * what waits in the accept queue, and Java's NIO closes the socket only at the selector's next wake-up.
 * Holding requests until the clients are all waiting on one means nobody is connecting when it closes.
 *
 * <p>Why HTTP/2 goes away only after the drain delay, not at the signal: during the delay the instance is
 * still in the balancer's rotation, so a proxy told to go away would only open a new connection to this same
 * instance, and each of its new connections would be told to go again: churn that carries the traffic of
 * many clients and gains nothing. After the delay the balancer has stopped sending here, so the proxy moves
 * the streams it still has to other instances. (HTTP/1 gets {@code Connection: close} from the signal on,
 * because a client behind an L4 balancer moves only by reconnecting; an HTTP/2 client through such a
 * balancer moves at the GOAWAY, which comes after its endpoint has been removed.)
 */
final class HttpDrain {

  static final long QUIET_MS = 50;
  static final long TICK_MS = 5;
  static final long MAX_QUIESCE_MS = 1000;
  static final long MAX_PROBE_MS = 500;
  static final long MAX_IDLE_WAIT_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(HttpDrain.class);

  private final ServiceStatus status;
  private final HttpState state;
  private final RequestGate gate;
  private final ConnectionTracker connections;
  private final String host;
  private final long drainDelayMs;
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  HttpDrain(ServiceStatus status, HttpState state, RequestGate gate, ConnectionTracker connections, String host,
            long drainDelayMs) {
    this.status = status;
    this.state = state;
    this.gate = gate;
    this.connections = connections;
    this.host = host;
    this.drainDelayMs = drainDelayMs;
  }

  void add(HttpServer server) {
    servers.add(server);
  }

  /** Each server's connection handler: the drain watches every connection (once each, not per request). */
  void connectionOpened(HttpConnection connection) {
    connections.opened(connection);
  }

  /**
   * Runs the drain, once, for every instance; requests in flight may take until {@code deadline}. Readiness
   * already says DRAINING: turning it down is the stop plan's first step, before any component's.
   */
  Future<Void> drain(Vertx vertx, Deadline deadline) {
    log.info("http draining: readiness reports 503 for {} ms while requests are still served", drainDelayMs);
    return delay(vertx, drainDelayMs)
        .compose(ignored -> goAwayAtIdle(deadline))
        .compose(ignored -> quiesce(vertx))
        // The last GOAWAYs once quiet, and before the listeners close: the server's own shutdown would send
        // each HTTP/2 connection a single GOAWAY that drops the streams still on their way.
        .compose(ignored -> connections.goneAway())
        .compose(ignored -> closeListeners(vertx, deadline));
  }

  /**
   * Every HTTP/2 connection's first GOAWAY, each at a moment when it has no stream in flight, waiting at most
   * {@value #MAX_IDLE_WAIT_MS} ms (and an eighth of the time left) for one; completes when all have had it.
   */
  private Future<Void> goAwayAtIdle(Deadline deadline) {
    long idleWaitMs = Math.min(MAX_IDLE_WAIT_MS, deadline.remainingMs() / 8);
    long startNanos = System.nanoTime();
    return connections.goAwayAll(idleWaitMs).map(count -> {
      if (count.atIdle() + count.busy() > 0) { // nothing to say when no client spoke HTTP/2
        log.info("http/2 GOAWAY sent after {} ms: {} connections at an idle moment, {} still busy after {} ms",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), count.atIdle(), count.busy(), idleWaitMs);
      }
      return null;
    });
  }

  /**
   * Holds new requests until none has arrived for {@value #QUIET_MS} ms. Arrivals are timed only once the
   * shutdown has begun, so the request counter is watched too: it shows a service that was busy right up to
   * a signal with no drain delay. An idle service is quiet after one {@value #TICK_MS} ms look.
   */
  private Future<Void> quiesce(Vertx vertx) {
    gate.hold();
    long startNanos = System.nanoTime();
    long[] seen = {state.requestsReceived()};
    long[] lastChangeNanos = {Math.max(gate.lastArrivalNanos(), startNanos - ms(QUIET_MS - TICK_MS))};
    Promise<Void> quiet = Promise.promise();
    vertx.setPeriodic(TICK_MS, timer -> {
      long now = System.nanoTime();
      long received = state.requestsReceived();
      if (received != seen[0]) {
        seen[0] = received;
        lastChangeNanos[0] = now;
      }
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
      if ((now - lastChangeNanos[0] >= ms(QUIET_MS) || waitedMs >= MAX_QUIESCE_MS) && !quiet.future().isComplete()) {
        log.info("http quiet after {} ms, {} requests held", waitedMs, gate.heldCount());
        try {
          vertx.cancelTimer(timer); // a timer made off a Vert.x thread can throw here on its first tick
        } finally {
          quiet.complete(); // runs the rest of the drain: after the log line, so that the log keeps the order
        }
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
    // Not waited on: with h2c enabled a socket that never sent a complete request ignores the server's
    // shutdown, whose future would then wait the whole grace. The connection tracker says when we are done.
    servers.forEach(s -> s.shutdown(graceMs, TimeUnit.MILLISECONDS));
    int port = servers.isEmpty() ? -1 : servers.get(0).actualPort();
    Future<Boolean> refused = port <= 0 ? Future.succeededFuture(true)
        : ListenerProbe.awaitRefused(vertx, host, port, MAX_PROBE_MS);
    return refused.compose(closed -> {
      log.info("http listener closed{}; requests in flight have {} ms to finish",
          closed ? "" : " (still connectable after " + MAX_PROBE_MS + " ms)", deadline.remainingMs());
      gate.release();
      connections.closeAll(deadline::remainingMs);
      return connections.awaitClosed(vertx, deadline.remainingMs());
    }).onSuccess(drained -> log.info("http connections drained{}",
        drained ? "" : " (" + connections.openCount() + " still open)")).mapEmpty();
  }

  private static Future<?> delay(Vertx vertx, long ms) {
    return ms == 0 ? Future.succeededFuture() : vertx.timer(ms, TimeUnit.MILLISECONDS);
  }
}
