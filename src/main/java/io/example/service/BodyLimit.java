package io.example.service;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * None of our routes takes a request body, so a body over {@code http.maxBodyBytes} is refused with 413
 * and its connection closed, instead of being read. A declared length is checked before routing; a
 * chunked body is counted as it arrives.
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
    if (declared == null && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true)) {
      long[] seen = {0};
      ctx.request().handler(chunk -> {
        seen[0] += chunk.length();
        if (seen[0] > maxBytes) {
          refuse(ctx);
        }
      });
    }
    ctx.next();
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
