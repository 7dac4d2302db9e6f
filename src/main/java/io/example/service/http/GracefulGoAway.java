package io.example.service.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * The graceful shutdown of one HTTP/2 connection that RFC 9113 6.8 describes, so that every stream the client
 * sent before it saw a GOAWAY is still answered. A single GOAWAY, as {@code HttpServer.shutdown} sends, names the
 * last stream created so far: streams already on their way are then dropped, and proxies do not retry them.
 * <ol>
 *   <li>hold new requests and send a PING; its ack means we have read everything the client sent before it.
 *       Holding matters: a client that gets a response queues its next stream at once, and a GOAWAY read in
 *       the same batch would refuse that stream on the client's side;</li>
 *   <li>{@code GOAWAY(2^31-1)}: "stop opening streams here", refusing none; release the held requests;</li>
 *   <li>a second PING: once acked, the client has seen the first GOAWAY and sent us everything it still meant
 *       to send on this connection;</li>
 *   <li>{@code GOAWAY(last stream created)}; the connection closes once its streams are done.</li>
 * </ol>
 * Each round trip also ends when the connection closes or after {@value #ROUND_TRIP_MAX_MS} ms, because a
 * PING's future never completes on a connection that closed. Everything runs on the connection's own context.
 */
final class GracefulGoAway {

  static final long ROUND_TRIP_MAX_MS = 300;
  private static final long NO_ERROR = 0;
  private static final int LAST_STREAM_CREATED = -1;
  private static final Buffer PING_DATA = Buffer.buffer(new byte[] {'g', 'o', 'i', 'n', 'g', 'a', 'w', 'y'});

  private final HttpConnection connection;
  private final Context context;
  private final Future<Void> closed;
  private final Promise<Void> done = Promise.promise();
  private List<Runnable> held; // only on the connection's context; not null during the first round trip
  private boolean started;

  GracefulGoAway(HttpConnection connection, Context context, Future<Void> closed) {
    this.connection = connection;
    this.context = context;
    this.closed = closed;
  }

  /** Begins the shutdown, once; later calls return the same result. Completes after the second GOAWAY. */
  Future<Void> start() {
    context.runOnContext(ignored -> {
      if (started) {
        return;
      }
      started = true;
      held = new ArrayList<>();
      roundTrip()
          .compose(first -> {
            goAway(Integer.MAX_VALUE);
            release();
            return roundTrip();
          })
          .onComplete(second -> {
            goAway(LAST_STREAM_CREATED);
            done.complete();
          });
    });
    return done.future();
  }

  /**
   * On the connection's context: holds {@code next} (a request to pass on) during the first round trip.
   *
   * @return false when nothing is held now, and the caller passes the request on itself
   */
  boolean hold(Runnable next) {
    if (held == null) {
      return false;
    }
    held.add(next);
    return true;
  }

  private void release() {
    List<Runnable> released = held;
    held = null;
    released.forEach(Runnable::run);
  }

  private void goAway(int lastStreamId) {
    if (!closed.isComplete()) {
      connection.goAway(NO_ERROR, lastStreamId);
    }
  }

  /** Completes at the PING's ack, at the connection's close, or after {@value #ROUND_TRIP_MAX_MS} ms. */
  private Future<Void> roundTrip() {
    Promise<Void> acked = Promise.promise();
    long timer = context.owner().setTimer(ROUND_TRIP_MAX_MS, ignored -> acked.tryComplete());
    closed.onComplete(ignored -> acked.tryComplete());
    if (!closed.isComplete()) {
      connection.ping(PING_DATA).onComplete(ignored -> acked.tryComplete());
    }
    return acked.future().andThen(ignored -> context.owner().cancelTimer(timer));
  }
}
