package io.example.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The second yardstick: {@link BareHello}'s server with a vertx-web {@code Router} in front, holding a route
 * table of the service's shape (the same paths, GET and HEAD on each, {@code /shutdown} for any method) and a
 * one-line handler on each. Nothing else of the service: no gate, no limits, no idle timeout, no drain, no
 * metrics. What it costs over {@link BareHello} is what the design's Router costs by itself; what the service
 * costs over it is ours.
 *
 * <p>Usage as {@link BareHello}: {@code java -jar bare-router-fat.jar [port]}; it prints
 * {@code bare-router listening on 0.0.0.0:<port> (<n> instances)}.
 */
public final class BareRouter extends VerticleBase {

  private static final String HOST = "0.0.0.0";
  // The same response as BareHello's, written the same way: only the Router differs.
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String HELLO = "Hello world";

  private final int port;
  private final AtomicInteger boundPort;
  private Router router;

  private BareRouter(int port, AtomicInteger boundPort) {
    this.port = port;
    this.boundPort = boundPort;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    read("/").handler(ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT).end(HELLO));
    for (String path : new String[] {"/healthz", "/readyz", "/status", "/timeout", "/metrics"}) {
      read(path).handler(BareRouter::empty);
    }
    router.route("/shutdown").handler(BareRouter::empty);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(port, HOST)
        .onSuccess(server -> boundPort.set(server.actualPort()));
  }

  private Route read(String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  private static void empty(RoutingContext ctx) {
    ctx.response().end();
  }

  public static void main(String[] args) {
    BareHello.serve("bare-router", args, BareRouter::new);
  }
}
