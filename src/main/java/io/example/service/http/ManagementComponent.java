package io.example.service.http;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeployedComponent;
import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener ({@code management.port}): {@code /healthz}, {@code /readyz}, {@code /status},
 * {@code /metrics} and {@code POST /shutdown} on a port of their own, which the public Service need not expose.
 *
 * <p>It has nothing to drain: probes and scrapes must reach it for the whole stop, so it stays in the component
 * list right after metrics, and so stops after http, the worker and the cluster, and before metrics, whose
 * registry its scrapes read. Its requests pass the same limits as the HTTP port's and are counted in the same
 * refusal counters, but no {@link RequestGate}: that gate is the public port's drain.
 */
public final class ManagementComponent extends DeployedComponent {

  public static final String NAME = "management";
  private static final Logger log = LoggerFactory.getLogger(ManagementComponent.class);

  private final ServiceConfig config;
  private final ServiceStatus status;
  private final ManagementState state = new ManagementState(true);
  private final RequestLimits limits;
  private final HttpComponent http;
  private final Supplier<Future<String>> metrics;

  /**
   * @param http {@code POST /shutdown} stops it as if it had failed, wherever the endpoint is served
   * @param metrics the Prometheus text for {@code GET /metrics}; null: no such route
   */
  public ManagementComponent(ServiceConfig config, ServiceStatus status, HttpComponent http,
                             Supplier<Future<String>> metrics) {
    super(NAME, 1); // a probe every few seconds: one event loop is plenty
    this.config = config;
    this.status = status;
    this.limits = new RequestLimits(config.http().maxBodyBytes(), http.rejections());
    this.http = http;
    this.metrics = metrics;
  }

  /** Its port as {@code /status} shows it. */
  public PartStatus state() {
    return state;
  }

  /** The {@code management} section when there is no management listener. */
  public static PartStatus off() {
    return new ManagementState(false);
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    return super.start(vertx, supervision).onSuccess(ignored -> log.info("management listening on {}:{}",
        config.management().host(), state.port()));
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return Future.succeededFuture(); // it answers until its undeploy, the plan's last but one step
  }

  @Override
  protected Deployable newInstance() {
    return new ManagementVerticle(config, state, this::router, limits, this::instanceStopping);
  }

  private Router router(Vertx vertx) {
    return new Routes(vertx, config, status, null, limits, http::stopAsFailed, metrics, Routes.Serves.MANAGEMENT,
        List.of()).router();
  }
}
