package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeployedComponent;
import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.example.service.lifecycle.WarmupTraffic;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP component: {@code http.instances} {@link HttpVerticle}s on one port, which share one
 * {@link RequestGate} and one {@link HttpDrain}. Its step in the stop is the drain.
 */
public final class HttpComponent extends DeployedComponent {

  public static final String NAME = "http";
  private static final Logger log = LoggerFactory.getLogger(HttpComponent.class);

  private final ServiceConfig config;
  private final ServiceStatus status;
  private final HttpState state = new HttpState();
  private final RequestGate gate;
  private final HttpDrain drain;
  private final Supplier<Future<String>> metrics;
  private final List<AddedRoutes> added;
  private final WarmupTraffic warmupTraffic;

  /**
   * @param status whether the service is shutting down; {@code /readyz} and {@code /status} read it
   * @param metrics the Prometheus text for {@code GET /metrics}; null: no such route
   * @param added a team's own routes, added to the route table after the service's
   * @param warmupTraffic marks the warm-up's requests, which the gate and the access log do not count
   */
  public HttpComponent(ServiceConfig config, ServiceStatus status, Supplier<Future<String>> metrics,
                       List<AddedRoutes> added, WarmupTraffic warmupTraffic) {
    super(NAME, config.http().instanceCount());
    this.config = config;
    this.status = status;
    this.metrics = metrics;
    this.added = List.copyOf(added);
    this.warmupTraffic = warmupTraffic;
    // One tracker for all instances: the drain waits until no connection has anything in flight.
    ConnectionTracker connections = new ConnectionTracker();
    var limits = new RequestLimits(config.http().maxBodyBytes(), state.rejections());
    this.gate = new RequestGate(status, state, limits, connections, warmupTraffic);
    this.drain = new HttpDrain(status, state, gate, connections, config.http().host(),
        config.shutdown().drainDelayMs());
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    return super.start(vertx, supervision).onSuccess(ignored -> log.info("http listening on {}:{} ({} instances)",
        config.http().host(), state.port(), config.http().instanceCount()));
  }

  /**
   * Requests to our own listener until the path is warm (see {@link SelfWarmup}), a few connections per
   * instance so that every instance's event loop serves some; then one line says what it reached.
   */
  @Override
  public Future<Void> warmUp(long budgetMs, Future<Void> interrupted) {
    int instances = config.http().instanceCount();
    int connections = Math.min(64, Math.max(8, 4 * instances));
    String host = loopback(config.http().host());
    log.info("warm-up: at most {} ms, {} connections to {}:{}", budgetMs, connections, host, state.port());
    var load = new SelfWarmup(vertx(), host, state.port(), connections, warmupTraffic);
    return load.run(budgetMs, interrupted).map(outcome -> {
      log.info("warm-up: took {} ms, {} requests on {} connections, last window {} req/s, {}/{} event loops, ended by {}",
          outcome.tookMs(), outcome.requests(), connections, outcome.lastWindowPerSecond(),
          warmupTraffic.loopsServed(), instances, outcome.endedBy());
      return null;
    });
  }

  /** Where the warm-up connects: a wildcard listener answers on loopback; any other address is our own. */
  static String loopback(String host) {
    return switch (host) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]", "::0" -> "::1";
      default -> host;
    };
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return drain.drain(vertx(), deadline);
  }

  @Override
  protected Deployable newInstance() {
    return new HttpVerticle(config, state, gate, drain, this::routes, this::instanceStopping);
  }

  private Routes routes(Vertx vertx) {
    return new Routes(vertx, config, status, gate, this::stopAsFailed, metrics, added);
  }

  /** Its port, requests and refusals as {@code /status} and {@code /metrics} show them. */
  public PartStatus state() {
    return state;
  }

  /** The refusals of every instance, by reason: the management listener counts its own there too. */
  Rejections rejections() {
    return state.rejections();
  }

  /** POST /shutdown: the component stops as if it had failed. */
  void stopAsFailed(Throwable cause) {
    failed(cause);
  }
}
