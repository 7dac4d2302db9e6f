package io.example.service.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The graceful shutdown of one HTTP/2 connection that RFC 9113 6.8 describes, so that every stream the client
 * sent before it saw a GOAWAY is still answered. A single GOAWAY, as {@code HttpServer.shutdown} sends, names the
 * last stream created so far: streams already on their way are then dropped, and proxies do not retry them.
 * <ol>
 *   <li>hold new requests and send a PING; its ack means we have read everything the client sent before it.
 *       Holding matters: a client that gets a response queues its next stream at once, and a GOAWAY read in
 *       the same batch would refuse that stream on the client's side;</li>
 *   <li>{@code GOAWAY(2^31-1)}: "stop opening streams here", refusing none; release the held requests;</li>
 *   <li>later, when the drain is about to close the listener ({@link #finish()}): a second PING; once acked
 *       with no new stream meanwhile (else again), the client has seen the first GOAWAY and sent us everything
 *       it still meant to send here;</li>
 *   <li>{@code GOAWAY(last stream created)}; the connection closes once its streams are done.</li>
 * </ol>
 * Why the second half waits for the drain's quiet, and not just for one PING: a client can still send streams
 * it had assigned to the connection before it read the first GOAWAY, after it has acked a PING read in the
 * same batch. Vert.x's own client did, and lost hundreds of streams per run to a second GOAWAY sent one round
 * trip after the first. The quiet (no request arrived for a while) shows that clients have moved on.
 * Each round trip also ends when the connection closes or after {@value #ROUND_TRIP_MAX_MS} ms, because a
 * PING's future never completes on a connection that closed. Everything runs on the connection's own context.
 */
final class GracefulGoAway {

  // Generous, because they only cost time when a client is slow or gone: a client short of CPU answers the
  // PING late and goes on sending what it had queued (at 300 ms / 1 s, 2 of 3 runs on a loaded machine
  // still lost streams). A dead client's connection closes, and that ends the wait at once.
  static final long ROUND_TRIP_MAX_MS = 1000;
  static final long MAX_SETTLE_MS = 3000;
  static final long SETTLE_PAUSE_MS = 10;
  private static final long NO_ERROR = 0;
  private static final int LAST_STREAM_CREATED = -1;
  private static final Buffer PING_DATA = Buffer.buffer(new byte[] {'g', 'o', 'i', 'n', 'g', 'a', 'w', 'y'});

  private final HttpConnection connection;
  private final Context context;
  private final Future<Void> closed;
  // All only on the connection's context.
  private List<Runnable> held; // not null during the first round trip
  private Future<Void> announced;
  private Future<Void> finished;
  private long streamsSeen;

  GracefulGoAway(HttpConnection connection, Context context, Future<Void> closed) {
    this.connection = connection;
    this.context = context;
    this.closed = closed;
  }

  /**
   * Steps 1 and 2, once: completes when {@code GOAWAY(2^31-1)} has been sent. Later calls change nothing.
   * On the connection's context.
   */
  Future<Void> announce() {
    if (announced == null) {
      held = new ArrayList<>();
      announced = roundTrip().andThen(acked -> {
        goAway(Integer.MAX_VALUE);
        release();
      });
    }
    return announced;
  }

  /** Steps 3 and 4, once, after the announcement: completes when the last GOAWAY has been sent. */
  Future<Void> finish() {
    if (finished == null) {
      long giveUpNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MS);
      finished = announce()
          .compose(announced -> settled(giveUpNanos))
          .andThen(acked -> goAway(LAST_STREAM_CREATED));
    }
    return finished;
  }

  /**
   * On the connection's context, for each request on it during the shutdown: counts it, and holds it
   * ({@code next} passes it on) during the first round trip.
   *
   * @return false when nothing is held now, and the caller passes the request on itself
   */
  boolean streamArrived(Runnable next) {
    streamsSeen++;
    if (held == null) {
      return false;
    }
    held.add(next);
    return true;
  }

  /**
   * Round trips until one passes with no new stream on this connection: then the client has stopped sending
   * here. A client that is short of CPU may send, after the first GOAWAY, streams it had assigned to this
   * connection before; a last GOAWAY sent meanwhile would drop them. Bounded by {@value #MAX_SETTLE_MS} ms.
   */
  private Future<Void> settled(long giveUpNanos) {
    long before = streamsSeen;
    return roundTrip().compose(acked -> {
      if (streamsSeen == before || closed.isComplete() || System.nanoTime() - giveUpNanos >= 0) {
        return Future.succeededFuture();
      }
      return context.owner().timer(SETTLE_PAUSE_MS, TimeUnit.MILLISECONDS).compose(t -> settled(giveUpNanos));
    });
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
