package io.example.service.http;

import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http.accessLog}: one line per request once its response is done, in the spirit of Apache's common
 * format, {@code 127.0.0.1 "GET /?user=x HTTP/1.1" 200 11 0.412 ms} (remote, request line, status, body bytes,
 * time from the gate to the end of the response). The same values are key-value pairs, so a JSON log has
 * them as fields. Installed only when on, in front of the gate: off, the request path is not touched at all.
 *
 * <p>The response's own end handler, not {@code RoutingContext.addEndHandler}: that one allocates a handler
 * list, a future and three lambdas per request; this is one lambda. No route here sets an end handler.
 */
final class AccessLog implements Handler<HttpServerRequest> {

  private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

  private final Handler<HttpServerRequest> next;
  private final WarmupTraffic warmup;

  /**
   * @param next the gate and the router
   * @param warmup its requests are not logged
   */
  AccessLog(Handler<HttpServerRequest> next, WarmupTraffic warmup) {
    this.next = next;
    this.warmup = warmup;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (warmup.active() && warmup.carries(request.getHeader(WarmupTraffic.HEADER))) {
      next.handle(request);
      return;
    }
    long startNanos = System.nanoTime();
    request.response().endHandler(ended -> write(request, startNanos));
    next.handle(request);
  }

  private static void write(HttpServerRequest request, long startNanos) {
    double ms = (System.nanoTime() - startNanos) / 1000L / 1000.0;
    SocketAddress remote = request.remoteAddress();
    String version = version(request.version());
    int status = request.response().getStatusCode();
    long bytes = request.response().bytesWritten();
    log.atInfo()
        .addKeyValue("remote", remote == null ? null : remote.hostAddress())
        .addKeyValue("method", request.method().name())
        .addKeyValue("uri", request.uri())
        .addKeyValue("version", version)
        .addKeyValue("status", status)
        .addKeyValue("bytes", bytes)
        .addKeyValue("duration_ms", ms)
        .log("{} \"{} {} {}\" {} {} {} ms", remote == null ? "-" : remote.hostAddress(), request.method().name(),
            request.uri(), version, status, bytes, ms);
  }

  private static String version(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_1_1 -> "HTTP/1.1";
      case HTTP_2 -> "HTTP/2.0";
    };
  }
}
