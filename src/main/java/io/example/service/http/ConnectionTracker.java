package io.example.service.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
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
public final class ConnectionTracker {

  private static final long POLL_MS = 5;

  private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
  private volatile boolean goingAway;
  private volatile boolean finishing;
  private volatile LongSupplier closingGraceMs; // null until the listeners close

  /** The server's connection handler: runs once per connection, on its event loop. */
  void opened(HttpConnection connection) {
    Promise<Void> closed = Promise.promise();
    Tracked tracked = new Tracked(connection, Vertx.currentContext(), closed.future());
    open.put(connection, tracked);
    connection.closeHandler(ignored -> {
      open.remove(connection);
      closed.tryComplete();
    });
    // Opened while the drain is under way: it gets the same treatment as those already open.
    if (goingAway) {
      tracked.announce();
    }
    if (finishing) {
      tracked.finish();
    }
    LongSupplier grace = closingGraceMs;
    if (grace != null) {
      tracked.shutDown(grace.getAsLong());
    }
  }

  /** Sends every HTTP/2 connection, and each one opened later, its first GOAWAY ({@link GracefulGoAway}). */
  void goAwayAll() {
    goingAway = true;
    open.values().forEach(Tracked::announce);
  }

  /** Completes when every HTTP/2 connection has had its last GOAWAY (or has closed). */
  Future<Void> goneAway() {
    finishing = true;
    return Future.join(open.values().stream().map(Tracked::finish).toList()).mapEmpty();
  }

  /**
   * Shuts every connection down, HTTP/2 ones after their GOAWAY, and those opened later as they open: each
   * closes once what it has in flight is done.
   */
  void closeAll(LongSupplier graceMs) {
    closingGraceMs = graceMs;
    open.values().forEach(tracked -> tracked.shutDown(graceMs.getAsLong()));
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
   * On the connection's context: holds an HTTP/2 request while its connection's GOAWAY waits for the first
   * PING round trip. Only called during a shutdown.
   */
  boolean holdDuringGoAway(HttpConnection connection, Runnable next) {
    Tracked tracked = open.get(connection);
    return tracked != null && tracked.goAway != null && tracked.goAway.hold(next);
  }

  /** One connection. Its methods may be called from any thread; the work runs on its context. */
  private static final class Tracked {
    final HttpConnection connection;
    final Context context;
    final Future<Void> closed;
    volatile GracefulGoAway goAway; // set on the context, once, for HTTP/2 connections
    private boolean http1; // on the context

    Tracked(HttpConnection connection, Context context, Future<Void> closed) {
      this.connection = connection;
      this.context = context;
      this.closed = closed;
    }

    /** HTTP/2: the first GOAWAY. HTTP/1 has none. */
    void announce() {
      context.runOnContext(ignored -> {
        GracefulGoAway h2 = http2();
        if (h2 != null) {
          h2.announce();
        }
      });
    }

    /** Completes after the last GOAWAY on HTTP/2, at once on HTTP/1. */
    Future<Void> finish() {
      Promise<Void> done = Promise.promise();
      context.runOnContext(ignored -> {
        GracefulGoAway h2 = http2();
        (h2 == null ? Future.<Void>succeededFuture() : h2.finish()).onComplete(done);
      });
      return done.future();
    }

    void shutDown(long graceMs) {
      finish().onComplete(ignored -> connection.shutdown(graceMs, TimeUnit.MILLISECONDS));
    }

    /** On the context: this connection's GOAWAY, made on first use; null for HTTP/1. */
    private GracefulGoAway http2() {
      if (goAway == null && !http1) {
        http1 = !isHttp2(connection);
        if (!http1) {
          goAway = new GracefulGoAway(connection, context, closed);
        }
      }
      return goAway;
    }
  }

  /** Only HTTP/2 connections have SETTINGS; asked during the shutdown only, once per connection. */
  private static boolean isHttp2(HttpConnection connection) {
    try {
      connection.settings();
      return true;
    } catch (UnsupportedOperationException http1) {
      return false;
    }
  }
}
