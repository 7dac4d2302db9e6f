package io.example.service.http;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The streams of one HTTP/2 connection as Netty counts them: how many are in flight, the last one the client
 * opened, and a call when one ends. Vert.x's {@link HttpConnection} does not say how many streams are open, and
 * counting them ourselves would cost an end handler on every request; Netty already keeps the count, in the
 * HTTP/2 handler of the connection's channel. A stream counts until its response has been written in full,
 * the h2c upgrade's first stream included. Read and used on the connection's event loop only.
 */
final class StreamsInFlight {

  private final Http2Connection streams;

  private StreamsInFlight(Http2Connection streams) {
    this.streams = streams;
  }

  /**
   * The streams of {@code connection}, or null when they cannot be seen: Vert.x's connection class is not
   * public API, and a later version may hide the channel. The drain then treats the connection as never idle.
   */
  static StreamsInFlight of(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return null;
    }
    Http2ConnectionHandler handler = base.channel().pipeline().get(Http2ConnectionHandler.class);
    return handler == null ? null : new StreamsInFlight(handler.connection());
  }

  /** Streams opened and not yet answered in full. */
  int active() {
    return streams.numActiveStreams();
  }

  /** The id of the last stream the client opened (0 before the first). */
  int lastOpened() {
    return streams.remote().lastStreamCreated();
  }

  /** Runs {@code then} after each stream ends, on the event loop. */
  void afterEachEnd(Runnable then) {
    streams.addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        then.run();
      }
    });
  }
}
