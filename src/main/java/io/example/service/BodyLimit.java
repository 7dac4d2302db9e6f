package io.example.service;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * None of our routes takes a request body, so a body over {@code http.maxBodyBytes} is refused with 413
 * and its connection closed. A declared length is checked before routing; a chunked body is counted,
 * not kept, and routed once it has ended within the limit.
 */
final class BodyLimit implements Handler<RoutingContext> {

  private final long maxBytes;

  BodyLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String declared = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && !withinLimit(declared)) {
      refuse(ctx);
      return;
    }
    HttpServerRequest request = ctx.request();
    if (declared == null && !request.isEnded()
        && request.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
      countThenRoute(ctx, request);
      return;
    }
    ctx.next();
  }

  /** A chunked body's size is known only at its end: count it (without keeping it), then route. */
  private void countThenRoute(RoutingContext ctx, HttpServerRequest request) {
    long[] seen = {0};
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > maxBytes && !ctx.response().ended()) {
        refuse(ctx);
      }
    });
    request.endHandler(ignored -> {
      if (!ctx.response().ended()) {
        ctx.next();
      }
    });
    request.resume(); // the router holds the body back until a handler asks for it
  }

  private boolean withinLimit(String declared) {
    try {
      return Long.parseLong(declared.trim()) <= maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static void refuse(RoutingContext ctx) {
    if (ctx.response().ended()) {
      ctx.request().connection().close();
      return;
    }
    ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end("request body too large")
        .onComplete(ignored -> ctx.request().connection().close());
  }
}
