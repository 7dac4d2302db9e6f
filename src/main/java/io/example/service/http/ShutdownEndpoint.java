package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Consumer;

/**
 * {@code POST /shutdown}: the one route that can stop the service, so it decides who may. Off unless
 * {@code admin.shutdownEndpoint} is set (then it is a 404 like any unknown path), POST only (405 otherwise),
 * and from loopback only (403 otherwise). An accepted request is answered 202 first, then the HTTP component
 * stops as if it had failed.
 */
final class ShutdownEndpoint {

  private final ServiceConfig.Admin admin;
  private final Consumer<Throwable> stopHttp;

  /** @param stopHttp stops the HTTP component as if it had failed */
  ShutdownEndpoint(ServiceConfig.Admin admin, Consumer<Throwable> stopHttp) {
    this.admin = admin;
    this.stopHttp = stopHttp;
  }

  void handle(RoutingContext ctx) {
    if (!admin.shutdownEndpoint()) {
      ctx.next(); // disabled: as if the route did not exist (404)
    } else if (ctx.request().method() != HttpMethod.POST) {
      ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
      Routes.text(ctx, 405, "use POST");
    } else if (!isLoopback(ctx.request().remoteAddress())) {
      Routes.text(ctx, 403, "only from loopback");
    } else {
      ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, Routes.TEXT)
          .end("stopping")
          .onComplete(ignored -> stopHttp.accept(new IllegalStateException("stop requested with POST /shutdown")));
    }
  }

  /** Package-private for its test: a test cannot connect from outside loopback (127.0.0.0/8 is all loopback). */
  static boolean isLoopback(SocketAddress remote) {
    try {
      // An IP literal: no name lookup happens here.
      return remote != null && remote.hostAddress() != null && InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
