package io.example.service.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * The checks a request must pass before routing, beyond those HttpServerOptions makes (header size 431,
 * request line 414): a query string that is not valid percent-encoding gets 400, not a 500 with a stack
 * trace; and since no route takes a body, one over {@code http.maxBodyBytes} gets 413 and its connection
 * is closed. A declared length is checked at once; a chunked body is counted, not kept, and routed only
 * once it has ended within the limit.
 */
public final class RequestLimits {

  private final long maxBodyBytes;

  public RequestLimits(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * @return true when this request is taken care of here (refused, or routed later by the chunk counter),
   *     false when it may be routed now
   */
  boolean intercepted(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.query() != null && !decodable(request)) {
      answer(ctx, 400, "malformed query string");
      return true;
    }
    String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null) {
      if (!withinLimit(declared)) {
        refuseBody(ctx);
        return true;
      }
      return false;
    }
    if (!request.isEnded() && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
      countThenRoute(ctx, request);
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
  private void countThenRoute(RoutingContext ctx, HttpServerRequest request) {
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > maxBodyBytes && !ctx.response().ended()) {
        refuseBody(ctx);
      }
    });
    request.endHandler(ignored -> {
      if (!ctx.response().ended()) {
        ctx.next();
      }
    });
    request.resume(); // the router holds the body back until a handler asks for it
  }

  private static void refuseBody(RoutingContext ctx) {
    if (ctx.request().version() == HttpVersion.HTTP_2) {
      // HTTP/2 forbids Connection (RFC 9113 8.2.2); ending the response resets only this stream's body.
      answer(ctx, 413, "request body too large");
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    answer(ctx, 413, "request body too large").onComplete(ignored -> ctx.request().connection().close());
  }

  private static io.vertx.core.Future<Void> answer(RoutingContext ctx, int status, String body) {
    return ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(body);
  }
}
