package io.example.service.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The shapes of the answers the routes give, one helper each, shared by every handler of the http part. */
final class Responses {

  // Pre-encoded header values: a String value is re-encoded to ASCII bytes on every response.
  static final CharSequence TEXT = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  /** Prometheus' text exposition format, version 0.0.4. */
  static final CharSequence PROMETHEUS = HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");

  private Responses() {}

  static void text(RoutingContext ctx, int code, String body) {
    answer(ctx, code, TEXT).end(body);
  }

  static void json(RoutingContext ctx, int code, String body) {
    answer(ctx, code, JSON).end(body);
  }

  /** 200 is the response's default status: setting it again would look the status object up for nothing. */
  static HttpServerResponse answer(RoutingContext ctx, int code, CharSequence contentType) {
    HttpServerResponse response = ctx.response();
    if (code != 200) {
      response.setStatusCode(code);
    }
    return response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
  }
}
