package io.example.service.http;

import io.example.service.http.Rejections.Reason;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers and counts what a client got wrong, below and around the routes, so that bad traffic gets a 4xx
 * or a closed connection, never a 5xx, and costs one counter increment instead of an ERROR line:
 * requests Netty could not decode, errors on a connection (HTTP/2 protocol errors among them), and the 400s
 * that vertx-web's router raises before any route runs (no Host, a path that does not decode).
 * Everything here runs only for a refused request; the normal request path never comes here.
 */
final class BadTraffic {

  private static final Logger log = LoggerFactory.getLogger(BadTraffic.class);

  private static final long CLOSE_GRACE_MS = 1000;

  private final Rejections rejections;

  BadTraffic(Rejections rejections) {
    this.rejections = rejections;
  }

  /** Installs the server-level handlers on {@code server} and returns it. */
  HttpServer install(HttpServer server) {
    return server
        .invalidRequestHandler(this::undecodable)
        // Without it, each connection error is logged by Vert.x at ERROR (at TRACE once a handler is set).
        .exceptionHandler(this::connectionError)
        // No route speaks WebSocket. A handshake handler is also what makes Vert.x hand a request line with
        // an unknown version (HTTP/2.0 from a broken h2c preface, HTTP/9.9) to the router: without one, Vert.x
        // answers it 501 itself, a 5xx for the client's mistake.
        .webSocketHandshakeHandler(BadTraffic::noWebSocket);
  }

  /** A request whose line or headers Netty could not decode: Vert.x's own answer, counted. */
  private void undecodable(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    rejections.count(cause instanceof TooLongHttpLineException ? Reason.URI_TOO_LONG
        : cause instanceof TooLongHttpHeaderException ? Reason.HEADER_TOO_LARGE
        : Reason.BAD_REQUEST);
    HttpServerRequest.DEFAULT_INVALID_REQUEST_HANDLER.handle(request); // 414, 431 or 400, then close
  }

  /**
   * An error on a connection: logged at DEBUG when it is the client's doing, since at a higher level anyone
   * could fill the log. An HTTP/2 protocol error is counted here. A decoder error is not: Vert.x reports it
   * here too after the request it broke, which is counted where it is answered ({@link #undecodable}, or
   * the body counter's exception handler in {@link RequestLimits}). Anything else may be ours: WARN.
   */
  private void connectionError(Throwable cause) {
    if (cause instanceof Http2Exception) {
      rejections.count(Reason.H2_PROTOCOL_ERROR);
    } else if (!(cause instanceof IOException || isDecoderError(cause))) {
      log.warn("http connection error: {}", describe(cause));
      return;
    }
    log.debug("http connection error: {}", describe(cause));
  }

  /**
   * What Netty's HTTP/1 decoder fails with: a broken request line, header or chunk. Its chunk-size parser
   * throws IndexOutOfBoundsException on a byte over 0x7F (Netty 4.2's StringUtil.decodeHexNibble).
   */
  static boolean isDecoderError(Throwable cause) {
    return cause instanceof DecoderException || cause instanceof IllegalArgumentException
        || cause instanceof TooLongFrameException || cause instanceof IndexOutOfBoundsException;
  }

  private static void noWebSocket(ServerWebSocketHandshake handshake) {
    handshake.reject(404);
  }

  /**
   * The router's 400, raised before any route ran: no Host (or :authority), a Host that does not parse, a
   * path that does not decode, or an unknown HTTP version.
   */
  void badRequest(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Reason reason;
    if (request.version() == null) {
      reason = Reason.UNSUPPORTED_VERSION;
    } else if (request.authority() == null) {
      reason = request.headers().contains(HttpHeaders.HOST) ? Reason.INVALID_HOST : Reason.MISSING_HOST;
    } else if (ctx.failure() == null) {
      // vertx-web 5.0 raises a path that does not decode as a bare 400, without setting failure()
      reason = Reason.MALFORMED_PATH;
    } else {
      reason = Reason.BAD_REQUEST; // an empty path, for one
    }
    refuse(request, 400, reason, reason == Reason.UNSUPPORTED_VERSION);
  }

  /** Counts the refusal and answers it in plain text naming the reason; {@code close} ends the connection. */
  void refuse(HttpServerRequest request, int status, Reason reason, boolean close) {
    rejections.count(reason);
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    // HTTP/2 forbids Connection (RFC 9113 8.2.2), and one stream's refusal must not end the connection's
    // other streams: there the answer ends this stream alone.
    boolean closeConnection = close && request.version() != HttpVersion.HTTP_2;
    if (closeConnection) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      // Before the answer: a request pipelined behind this one is then dropped, not served. The header
      // alone does not make Vert.x close, and the close below comes only once the answer is written.
      request.connection().shutdown(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Responses.TEXT)
        .end(reason.label())
        .onComplete(ignored -> {
          if (closeConnection) {
            request.connection().close();
          }
        });
  }

  private static String describe(Throwable cause) {
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
