package io.example.service.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import java.util.concurrent.TimeUnit;

/**
 * One connection as the {@link ConnectionTracker} sees it. Its methods may be called from any thread; the work
 * runs on the connection's own context, where its HTTP/2 {@link GracefulGoAway} lives.
 */
final class TrackedConnection {

  private final HttpConnection connection;
  private final Context context;
  private final Future<Void> closed;
  private volatile GracefulGoAway goAway; // set on the context, once, for HTTP/2 connections
  private boolean http1; // on the context

  TrackedConnection(HttpConnection connection, Context context, Future<Void> closed) {
    this.connection = connection;
    this.context = context;
    this.closed = closed;
  }

  /**
   * HTTP/2: the first GOAWAY, at an idle moment if one comes within {@code idleWaitMs}. Completes when it has
   * gone, with true if at an idle moment; at once, with true, on HTTP/1, which has none.
   */
  Future<Boolean> announce(long idleWaitMs) {
    Promise<Boolean> done = Promise.promise();
    context.runOnContext(ignored -> {
      GracefulGoAway h2 = http2();
      (h2 == null ? Future.succeededFuture(true) : h2.announce(idleWaitMs)).onComplete(done);
    });
    return done.future();
  }

  /** Completes after the last GOAWAY on HTTP/2, at once on HTTP/1. */
  Future<Void> finish(long idleWaitMs) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(ignored -> {
      GracefulGoAway h2 = http2();
      (h2 == null ? Future.<Void>succeededFuture() : h2.finish(idleWaitMs)).onComplete(done);
    });
    return done.future();
  }

  /**
   * On the connection's context, during a shutdown: tells its GOAWAY that an HTTP/2 request came, and holds
   * it during the round trip of a GOAWAY sent without waiting for idle. False when nothing is held, and the
   * caller passes it on itself.
   */
  boolean holdDuringGoAway(Runnable next) {
    GracefulGoAway h2 = goAway;
    return h2 != null && h2.streamArrived(next);
  }

  /**
   * On the connection's context: whether an HTTP/2 connection has had its first GOAWAY. Until then a request
   * held on it would be active when that GOAWAY comes, and some clients fail active streams at any GOAWAY.
   */
  boolean wentAway() {
    GracefulGoAway h2 = goAway;
    return h2 != null && h2.wentAway();
  }

  /** Shuts the connection down, HTTP/2 after its last GOAWAY: it closes once what it has in flight is done. */
  void shutDown(long graceMs, long idleWaitMs) {
    finish(idleWaitMs).onComplete(ignored -> connection.shutdown(graceMs, TimeUnit.MILLISECONDS));
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
