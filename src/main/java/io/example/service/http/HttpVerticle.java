package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One instance of the HTTP component: a server with the {@link Routes} router. Deployed means listening.
 * All instances share one port, one {@link RequestGate} and one {@link HttpDrain}, which stops them together;
 * {@code HttpComponent} deploys them and carries out the drain when the stop plan calls it.
 */
final class HttpVerticle extends VerticleBase {

  private final ServiceConfig config;
  private final HttpState state;
  private final RequestGate gate;
  private final HttpDrain drain;
  private final Function<Vertx, Routes> table;
  private final Supplier<Future<Void>> instanceStops;

  /**
   * @param table this instance's route table, made on its own event loop
   * @param instanceStops completes when the stop plan has carried out http's step
   */
  HttpVerticle(ServiceConfig config, HttpState state, RequestGate gate, HttpDrain drain,
               Function<Vertx, Routes> table, Supplier<Future<Void>> instanceStops) {
    this.config = config;
    this.state = state;
    this.gate = gate;
    this.drain = drain;
    this.table = table;
    this.instanceStops = instanceStops;
  }

  @Override
  public Future<?> start() {
    ServiceConfig.Http http = config.http();
    Routes routes = table.apply(vertx);
    // A negative port makes every instance share the one port the OS picks; 0 would give each its own.
    int port = http.port() == 0 ? -1 : http.port();
    var badTraffic = gate.limits().badTraffic();
    return badTraffic.install(vertx.createHttpServer(options(http)))
        .requestHandler(routes.requestHandler())
        .connectionHandler(drain::connectionOpened)
        .listen(port, http.host())
        .onSuccess(server -> {
          drain.add(server);
          state.port(server.actualPort());
        });
  }

  @Override
  public Future<?> stop() {
    // The drain is the stop plan's to run; this waits for it only when someone else undeploys us.
    return instanceStops.get();
  }

  /** Shared with the management listener: the same limits against bad traffic. */
  static HttpServerOptions options(ServiceConfig.Http http) {
    return new HttpServerOptions()
        .setMaxHeaderSize(http.maxHeaderBytes())
        .setMaxInitialLineLength(http.maxRequestLineBytes())
        // Only the client's silence counts: a read-idle timeout. The all-idle one also watches our writes,
        // and Netty then attaches a listener to every response write (about 0.1 us a request, measured).
        .setReadIdleTimeout((int) http.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
