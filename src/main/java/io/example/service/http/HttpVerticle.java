package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.StopSequence;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One instance of the HTTP component: a server with the {@link Routes} router. Deployed means listening.
 * All instances share one port, one {@link RequestGate} and one {@link HttpDrain}, which stops them together.
 */
public final class HttpVerticle extends VerticleBase {

  public static final String NAME = "http";

  private final ServiceConfig config;
  private final ServiceStatus status;
  private final RequestGate gate;
  private final HttpDrain drain;
  private final StopSequence stopSequence;
  private final Consumer<Throwable> onFailure;

  public HttpVerticle(ServiceConfig config, ServiceStatus status, RequestGate gate, HttpDrain drain,
               StopSequence stopSequence, Consumer<Throwable> onFailure) {
    this.config = config;
    this.status = status;
    this.gate = gate;
    this.drain = drain;
    this.stopSequence = stopSequence;
    this.onFailure = onFailure;
  }

  @Override
  public Future<?> start() {
    ServiceConfig.Http http = config.http();
    var routes = new Routes(vertx, config, status, gate, onFailure);
    // A negative port makes every instance share the one port the OS picks; 0 would give each its own.
    int port = http.port() == 0 ? -1 : http.port();
    return vertx.createHttpServer(options(http))
        .requestHandler(routes.router())
        .connectionHandler(drain::connectionOpened)
        .listen(port, http.host())
        .onSuccess(server -> {
          drain.add(server);
          status.httpPort(server.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    return stopSequence.stop(NAME, context, () -> drain.drain(vertx));
  }

  private static HttpServerOptions options(ServiceConfig.Http http) {
    return new HttpServerOptions()
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setMaxInitialLineLength(http.maxRequestLineBytes())
        .setIdleTimeout((int) http.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
