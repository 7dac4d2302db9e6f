package io.example.service.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Our own view of the open HTTP connections, for the drain: which of them still have something in flight,
 * and which are HTTP/2 and need a {@link GracefulGoAway}.
 *
 * <p>Why connections and not requests: counting requests in flight needs an end handler on every request,
 * which the benchmark showed costs a third of the router's own allocation. A connection is cheaper to watch,
 * and it says the same once it is shut down: Vert.x closes a shut-down HTTP/1 connection as soon as its response
 * in progress has ended (at once if it has none), and an HTTP/2 one once its streams are done. So after the
 * shutdown, "connections still open" is exactly "connections with a request in flight", including requests
 * that were already running when the signal came. It costs one map entry and one close handler per
 * connection, nothing per request.
 *
 * <p>With h2c enabled, Vert.x makes a connection object only once the first request's headers are complete
 * (or the HTTP/2 preface is), so sockets that are silent, still sending headers, or half-way through the
 * preface are never here: the drain does not wait for them, and the server's close drops them.
 */
final class ConnectionTracker {

  private static final long POLL_MS = 5;

  private final Map<HttpConnection, TrackedConnection> open = new ConcurrentHashMap<>();
  private volatile boolean goingAway;
  private volatile boolean finishing;
  private volatile long idleWaitMs;
  private volatile LongSupplier closingGraceMs; // null until the listeners close

  /** The server's connection handler: runs once per connection, on its event loop. */
  void opened(HttpConnection connection) {
    Promise<Void> closed = Promise.promise();
    TrackedConnection tracked = new TrackedConnection(connection, Vertx.currentContext(), closed.future());
    open.put(connection, tracked);
    connection.closeHandler(ignored -> {
      open.remove(connection);
      closed.tryComplete();
    });
    // Opened while the drain is under way: it gets the same treatment as those already open.
    if (goingAway) {
      tracked.announce(idleWaitMs);
    }
    if (finishing) {
      tracked.finish(idleWaitMs);
    }
    LongSupplier grace = closingGraceMs;
    if (grace != null) {
      tracked.shutDown(grace.getAsLong(), idleWaitMs);
    }
  }

  /**
   * Sends every HTTP/2 connection, and each one opened later, its first GOAWAY ({@link GracefulGoAway}): at an
   * idle moment, or after {@code idleWaitMs}. Completes when the connections open now have had it (or closed).
   */
  Future<GoAwayCount> goAwayAll(long idleWaitMs) {
    this.idleWaitMs = idleWaitMs;
    goingAway = true;
    List<Future<Boolean>> announced = open.values().stream().map(c -> c.announce(idleWaitMs)).toList();
    return Future.join(announced).map(all -> new GoAwayCount(
        announced.stream().filter(Future::result).count(), announced.stream().filter(f -> !f.result()).count()));
  }

  /** Connections told GOAWAY at an idle moment, and after waiting in vain for one (HTTP/1 counts as idle). */
  record GoAwayCount(long atIdle, long busy) {}

  /** Completes when every HTTP/2 connection has had its last GOAWAY (or has closed). */
  Future<Void> goneAway() {
    finishing = true;
    return Future.join(open.values().stream().map(c -> c.finish(idleWaitMs)).toList()).mapEmpty();
  }

  /**
   * Shuts every connection down, HTTP/2 ones after their GOAWAY, and those opened later as they open: each
   * closes once what it has in flight is done.
   */
  void closeAll(LongSupplier graceMs) {
    closingGraceMs = graceMs;
    open.values().forEach(tracked -> tracked.shutDown(graceMs.getAsLong(), idleWaitMs));
  }

  /** Completes when no connection is left open (nothing is in flight), or after {@code maxWaitMs}. */
  Future<Boolean> awaitClosed(Vertx vertx, long maxWaitMs) {
    Promise<Boolean> empty = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
    if (open.isEmpty()) {
      return Future.succeededFuture(true);
    }
    vertx.setPeriodic(POLL_MS, timer -> {
      boolean none = open.isEmpty();
      if (none || System.nanoTime() >= deadline) {
        vertx.cancelTimer(timer);
        empty.complete(none);
      }
    });
    return empty.future();
  }

  int openCount() {
    return open.size();
  }

  /**
   * On the connection's context, for each HTTP/2 request during a shutdown: its connection's GOAWAY counts
   * it, and holds it while the first PING round trip lasts.
   */
  boolean holdDuringGoAway(HttpConnection connection, Runnable next) {
    TrackedConnection tracked = open.get(connection);
    return tracked != null && tracked.holdDuringGoAway(next);
  }

  /**
   * On the connection's context: whether an HTTP/2 connection has had its first GOAWAY, so that a request on
   * it may be held while the listener closes. An unknown connection has not.
   */
  boolean wentAway(HttpConnection connection) {
    TrackedConnection tracked = open.get(connection);
    return tracked != null && tracked.wentAway();
  }
}
