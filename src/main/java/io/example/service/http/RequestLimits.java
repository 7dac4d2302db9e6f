package io.example.service.http;

import io.example.service.http.Rejections.Reason;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;

/**
 * The checks a request must pass before routing, beyond those HttpServerOptions makes (header size 431,
 * request line 414): a version other than HTTP/1.0 or 1.1 on an HTTP/1 connection gets 400 and a closed
 * connection; a query string that is not valid percent-encoded UTF-8 gets 400, not a 500 with a stack
 * trace; and a body over {@code http.maxBodyBytes} gets 413 and its connection is closed. A declared length
 * is checked at once, and the request is routed as it is: the route reads its body as it arrives. A chunked
 * body's size is known only at its end, so it is read here first, kept (never more than the limit), and the
 * request is routed once it has ended within the limit, with that body still to be read ({@link
 * ReadBodyRequest}). Each refusal is counted in {@link #rejections()}.
 */
final class RequestLimits {

  private final long maxBodyBytes;
  private final Rejections rejections;
  private final BadTraffic badTraffic;

  /** @param rejections counters shared with the other listener's limits and the metrics: one set per service */
  RequestLimits(long maxBodyBytes, Rejections rejections) {
    this.maxBodyBytes = maxBodyBytes;
    this.rejections = rejections;
    this.badTraffic = new BadTraffic(rejections);
  }

  /** The refusals of every HTTP instance that shares these limits. */
  public Rejections rejections() {
    return rejections;
  }

  BadTraffic badTraffic() {
    return badTraffic;
  }

  /**
   * @param routes where the request goes once a chunked body has ended within the limit
   * @return true when this request is taken care of here (refused, or routed once its chunked body is read),
   *     false when it may be routed now
   */
  boolean intercepted(HttpServerRequest request, Handler<HttpServerRequest> routes) {
    if (request.version() == null) {
      badTraffic.refuse(request, 400, Reason.UNSUPPORTED_VERSION, true);
      return true;
    }
    if (request.query() != null && !(QueryCheck.wellFormed(request.query()) && decodable(request))) {
      badTraffic.refuse(request, 400, Reason.MALFORMED_QUERY, false);
      return true;
    }
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      if (!withinLimit(declared)) {
        refuseBody(request);
        return true;
      }
      return false;
    }
    // The header lookup first: isEnded() takes the connection's lock, and almost no request is chunked.
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true) && !request.isEnded()) {
      readThenRoute(request, routes);
      return true;
    }
    return false;
  }

  private static boolean decodable(HttpServerRequest request) {
    try {
      request.params(); // decodes the query once; the routes read the cached result
      return true;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private boolean withinLimit(String declared) {
    try {
      return Long.parseLong(declared.trim()) <= maxBodyBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * A chunked body's size is known only at its end: read it, keeping at most the limit, then route the request
   * with the body for the route to read. Until then the request is in flight, and a drain waits for it.
   */
  private void readThenRoute(HttpServerRequest request, Handler<HttpServerRequest> routes) {
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (request.response().ended()) {
        return; // refused: the rest is dropped until the connection closes
      }
      if (body.length() + (long) chunk.length() > maxBodyBytes) {
        refuseBody(request);
      } else {
        body.appendBuffer(chunk);
      }
    });
    // A chunk that does not decode fails the request, then Vert.x closes the connection.
    request.exceptionHandler(cause -> {
      if (BadTraffic.isDecoderError(cause)) {
        rejections.count(Reason.BAD_BODY);
      }
    });
    request.endHandler(ignored -> {
      if (!request.response().ended()) {
        // Vert.x's own requests are all internal ones; anything else is routed as it is, its body already read.
        routes.handle(request instanceof HttpServerRequestInternal internal
            ? new ReadBodyRequest(internal, body) : request);
      }
    });
  }

  private void refuseBody(HttpServerRequest request) {
    badTraffic.refuse(request, 413, Reason.BODY_TOO_LARGE, true);
  }
}
