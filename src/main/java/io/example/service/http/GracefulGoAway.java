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
 * The graceful shutdown of one HTTP/2 connection (RFC 9113 6.8), so that every stream the client sent before
 * it saw a GOAWAY is still answered, by clients that follow the RFC and by those that do not.
 * <ol>
 *   <li>wait until the connection has no stream in flight, check it with a PING round trip during which no
 *       stream came, and send {@code GOAWAY(2^31-1)} then: "stop opening streams here", refusing none;</li>
 *   <li>only if it never falls idle within the wait the drain allows: hold new requests, send a PING (its ack
 *       means we have read everything the client sent before it), then {@code GOAWAY(2^31-1)}, and release
 *       them. Holding matters there: a client that gets a response queues its next stream at once, and a
 *       GOAWAY read in the same batch would refuse that stream on the client's side;</li>
 *   <li>later, when the drain is about to close the listener ({@link #finish}): PINGs until one round trip
 *       passes with no new stream, so the client has seen the first GOAWAY and sent all it meant to send;</li>
 *   <li>{@code GOAWAY(last stream created)}; the connection closes once its streams are done.</li>
 * </ol>
 * Why wait for idle: the JDK's HttpClient before JDK 24 (JDK-8335181) fails every stream still active on a
 * connection when any GOAWAY arrives, whatever its last-stream-id, then opens a new connection. At an idle
 * moment it has nothing to fail; only a stream it opens while our GOAWAY is on its way still can, so the
 * check is one round trip and the GOAWAY leaves on the PING's ack. A client that follows the RFC loses
 * nothing either way, and holds nothing active meanwhile.
 * Why the last GOAWAY waits for the drain's quiet, and not just for one PING: a client can still send streams
 * it had assigned to the connection before it read the first GOAWAY, after it has acked a PING read in the
 * same batch (Vert.x's own client did, and lost hundreds of streams per run to a second GOAWAY sent one round
 * trip after the first).
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
  private final StreamsInFlight streams; // null when Netty's count cannot be seen: never idle then
  // All only on the connection's context.
  private Promise<Boolean> announced; // not null once asked; true when the first GOAWAY went at an idle moment
  private List<Runnable> held; // not null during the round trip of a GOAWAY sent without waiting for idle
  private boolean checkingIdle;
  private long giveUpTimer = -1;
  private Future<Void> finished;
  private long streamsSeen;

  GracefulGoAway(HttpConnection connection, Context context, Future<Void> closed) {
    this.connection = connection;
    this.context = context;
    this.closed = closed;
    this.streams = StreamsInFlight.of(connection);
  }

  /**
   * Steps 1 and 2, once: completes when {@code GOAWAY(2^31-1)} has been sent (or the connection closed), with
   * true if that was at an idle moment. Waits at most {@code idleWaitMs} for one. On the connection's context.
   */
  Future<Boolean> announce(long idleWaitMs) {
    if (announced == null) {
      announced = Promise.promise();
      closed.onComplete(ignored -> gone(false));
      if (streams == null) {
        goAwayHolding();
      } else {
        giveUpTimer = context.owner().setTimer(Math.max(1, idleWaitMs), ignored -> goAwayHolding());
        streams.afterEachEnd(() -> context.runOnContext(ignored -> goAwayIfIdle()));
        goAwayIfIdle();
      }
    }
    return announced.future();
  }

  /** Whether the first GOAWAY has gone. On the connection's context. */
  boolean wentAway() {
    return announced != null && announced.future().isComplete();
  }

  /** Steps 3 and 4, once, after the announcement: completes when the last GOAWAY has been sent. */
  Future<Void> finish(long idleWaitMs) {
    if (finished == null) {
      finished = announce(idleWaitMs)
          .compose(ignored -> settled(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MS)))
          .andThen(ignored -> goAway(LAST_STREAM_CREATED));
    }
    return finished;
  }

  /**
   * On the connection's context, for each request on it during the shutdown: counts it, and holds it
   * ({@code next} passes it on) during the round trip of a GOAWAY sent without waiting for idle.
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

  /** Step 1: at an idle moment, a PING; on its ack, if still idle and no stream came, the GOAWAY. */
  private void goAwayIfIdle() {
    if (wentAway() || held != null || checkingIdle || streams.active() > 0) {
      return;
    }
    checkingIdle = true;
    int lastBefore = streams.lastOpened();
    roundTrip(true).onComplete(acked -> {
      checkingIdle = false;
      if (!wentAway() && held == null && streams.active() == 0 && streams.lastOpened() == lastBefore) {
        gone(true);
      } else {
        goAwayIfIdle(); // a stream came meanwhile: when it ends (or now, if it has) look again
      }
    });
  }

  /** Step 2, when the connection did not fall idle in time. */
  private void goAwayHolding() {
    if (wentAway() || held != null) {
      return;
    }
    held = new ArrayList<>();
    roundTrip().onComplete(acked -> {
      gone(false);
      List<Runnable> released = held;
      held = null;
      released.forEach(Runnable::run);
    });
  }

  private void gone(boolean atIdle) {
    if (!wentAway()) {
      context.owner().cancelTimer(giveUpTimer);
      goAway(Integer.MAX_VALUE);
      announced.complete(atIdle);
    }
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

  private void goAway(int lastStreamId) {
    if (!closed.isComplete()) {
      connection.goAway(NO_ERROR, lastStreamId);
    }
  }

  private Future<Void> roundTrip() {
    return roundTrip(false);
  }

  /**
   * Completes at the ack of a PING, or of a SETTINGS frame that changes nothing ({@code ordered}), at the
   * connection's close, or after {@value #ROUND_TRIP_MAX_MS} ms. Why SETTINGS to check for idle: a client may
   * send its PING ack ahead of frames it queued before (the JDK's HttpClient does), while it sends a SETTINGS
   * ack in turn; so no stream it opened before reading our SETTINGS can arrive after the ack.
   */
  private Future<Void> roundTrip(boolean ordered) {
    Promise<Void> acked = Promise.promise();
    long timer = context.owner().setTimer(ROUND_TRIP_MAX_MS, ignored -> acked.tryComplete());
    closed.onComplete(ignored -> acked.tryComplete());
    if (!closed.isComplete()) {
      (ordered ? connection.updateSettings(connection.settings()) : connection.ping(PING_DATA).mapEmpty())
          .onComplete(ignored -> acked.tryComplete());
    }
    return acked.future().andThen(ignored -> context.owner().cancelTimer(timer));
  }
}
