package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** The management listener's one instance: a server on {@code management.host:port}. Deployed means listening. */
final class ManagementVerticle extends VerticleBase {

  /** A scrape or probe in flight when the listener closes gets this long to be answered. */
  private static final long CLOSE_GRACE_MS = 1000;

  private final ServiceConfig config;
  private final ManagementState state;
  private final Function<Vertx, Router> table;
  private final RequestLimits limits;
  private final Supplier<Future<Void>> instanceStops;
  private HttpServer server;

  ManagementVerticle(ServiceConfig config, ManagementState state, Function<Vertx, Router> table,
                     RequestLimits limits, Supplier<Future<Void>> instanceStops) {
    this.config = config;
    this.state = state;
    this.table = table;
    this.limits = limits;
    this.instanceStops = instanceStops;
  }

  @Override
  public Future<?> start() {
    Router router = table.apply(vertx);
    Handler<HttpServerRequest> limited = request -> {
      if (!limits.intercepted(request, router)) {
        router.handle(request);
      }
    };
    // No h2c: probes and scrapes speak HTTP/1.1, and an h2c placeholder connection that never sent a complete
    // request would hold the close below for its whole grace.
    var options = HttpVerticle.options(config.http()).setHttp2ClearTextEnabled(false);
    return limits.badTraffic().install(vertx.createHttpServer(options))
        .requestHandler(limited)
        .listen(config.management().port(), config.management().host())
        .onSuccess(listening -> {
          server = listening;
          state.port(listening.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    // Undeploying would close the server at once, cutting a scrape in flight: close it gracefully first.
    return instanceStops.get()
        .compose(ignored -> server == null ? Future.succeededFuture()
            : server.shutdown(CLOSE_GRACE_MS, TimeUnit.MILLISECONDS));
  }
}
