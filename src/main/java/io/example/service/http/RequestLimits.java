package io.example.service.http;

import io.example.service.http.Rejections.Reason;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The checks a request must pass before routing, beyond those HttpServerOptions makes (header size 431,
 * request line 414): a version other than HTTP/1.0 or 1.1 on an HTTP/1 connection gets 400 and a closed
 * connection; a query string that is not valid percent-encoded UTF-8 gets 400, not a 500 with a stack
 * trace; and since no route takes a body, one over {@code http.maxBodyBytes} gets 413 and its connection
 * is closed. A declared length is checked at once; a chunked body is counted, not kept, and routed only
 * once it has ended within the limit. Each refusal is counted in {@link #rejections()}.
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
   * @return true when this request is taken care of here (refused, or routed later by the chunk counter),
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
      countThenRoute(request, routes);
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

  /** A chunked body's size is known only at its end: count it (without keeping it), then route. */
  private void countThenRoute(HttpServerRequest request, Handler<HttpServerRequest> routes) {
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > maxBodyBytes && !request.response().ended()) {
        refuseBody(request);
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
        routes.handle(request);
      }
    });
  }

  private void refuseBody(HttpServerRequest request) {
    badTraffic.refuse(request, 413, Reason.BODY_TOO_LARGE, true);
  }
}
