package io.example.service.http;

import static io.example.service.http.Responses.json;
import static io.example.service.http.Responses.text;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.StatusReport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The HTTP API: the route table, then one small handler per endpoint. */
final class Routes {

  /**
   * Which endpoints a listener serves. Without a management listener the HTTP port serves them all; with
   * one, the operational endpoints move there. Decided when the table is built: a request pays nothing.
   */
  enum Serves { ALL, PUBLIC, MANAGEMENT }

  static final int MAX_USER_LENGTH = 64;
  static final long DEFAULT_TIMEOUT_MS = 20_000;
  static final long MAX_TIMEOUT_MS = 60_000;

  // Probes ask every few seconds on every instance: their bodies are written by hand, not built and encoded
  // as a JsonObject per request (state names need no escaping).
  private static final String HEALTHY = "{\"status\":\"UP\"}";

  private final Vertx vertx;
  private final boolean accessLog;
  private final ServiceStatus status;
  private final RequestGate gate;
  private final RequestLimits limits;
  private final ShutdownEndpoint shutdown;
  private final Supplier<Future<String>> metrics;
  private final Serves serves;
  private final List<AddedRoutes> added;
  private Router router;

  /**
   * @param stopHttp stops the HTTP component as if it had failed (POST /shutdown)
   * @param metrics the Prometheus text of {@code GET /metrics}; null when metrics are off (no route, 404)
   * @param added a team's own routes, after the service's
   */
  Routes(Vertx vertx, ServiceConfig config, ServiceStatus status, RequestGate gate, Consumer<Throwable> stopHttp,
         Supplier<Future<String>> metrics, List<AddedRoutes> added) {
    this(vertx, config, status, gate, gate.limits(), stopHttp, metrics,
        config.management().enabled() ? Serves.PUBLIC : Serves.ALL, added);
  }

  /** @param gate null on the management listener, which never drains and so needs none: use {@link #router()} */
  Routes(Vertx vertx, ServiceConfig config, ServiceStatus status, RequestGate gate, RequestLimits limits,
         Consumer<Throwable> stopHttp, Supplier<Future<String>> metrics, Serves serves, List<AddedRoutes> added) {
    this.vertx = vertx;
    this.accessLog = config.http().accessLog();
    this.status = status;
    this.gate = gate;
    this.limits = limits;
    this.shutdown = new ShutdownEndpoint(config.admin(), limits.rejections(), stopHttp);
    this.metrics = metrics;
    this.serves = serves;
    this.added = List.copyOf(added);
  }

  /**
   * The server's request handler: the gate, then the router; with {@code http.accessLog}, the access log in
   * front of both, so that a request the gate refuses is logged too.
   */
  Handler<HttpServerRequest> requestHandler() {
    Handler<HttpServerRequest> gated = gate.inFrontOf(router());
    return accessLog ? new AccessLog(gated, gate.warmup()) : gated;
  }

  /** The route table alone, without the gate in front of it. */
  Router router() {
    router = Router.router(vertx);
    if (serves != Serves.MANAGEMENT) {
      read("/").handler(this::hello);
      read("/timeout").handler(this::timeout);
    }
    read("/healthz").handler(this::healthz); // on both listeners: liveness is about the process
    if (serves != Serves.PUBLIC) {
      read("/readyz").handler(this::readyz);
      read("/status").handler(this::status);
      if (metrics != null) {
        read("/metrics").handler(this::metrics);
      }
      router.route("/shutdown").handler(shutdown);
    }
    if (serves != Serves.MANAGEMENT) {
      added.forEach(routes -> routes.addTo(router, vertx));
    }
    // The contract: anything not in the table is 404; only /shutdown answers another method with 405.
    router.errorHandler(405, ctx -> text(ctx, 404, "not found"));
    // The router fails these itself before any route runs (a target that is not a path; no Host, a path that
    // does not decode). With no handler for the status it logs each at ERROR. There is no 500 handler: a route
    // that throws is our bug, and vertx-web logs it at ERROR with its stack trace.
    router.errorHandler(404, ctx -> text(ctx, 404, "not found"));
    router.errorHandler(400, limits.badTraffic()::badRequest);
    return router;
  }

  /** GET, and HEAD for the load balancers and probes that check with it. */
  private Route read(String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  private void hello(RoutingContext ctx) {
    // Without a query string there is no user: skip building the parameter map (GET / is the hot path).
    String user = ctx.request().query() == null ? null : ctx.request().getParam("user");
    if (user == null || user.isEmpty()) {
      text(ctx, 200, "Hello world");
    } else if (user.codePointCount(0, user.length()) > MAX_USER_LENGTH || !printable(user)) {
      text(ctx, 400, "user must be 1 to " + MAX_USER_LENGTH + " printable characters");
    } else {
      text(ctx, 200, "Hello " + user);
    }
  }

  private void healthz(RoutingContext ctx) {
    json(ctx, 200, HEALTHY);
  }

  private void readyz(RoutingContext ctx) {
    ServiceStatus.State state = status.state();
    json(ctx, state == ServiceStatus.State.READY ? 200 : 503, "{\"status\":\"" + state.name() + "\"}");
  }

  private void status(RoutingContext ctx) {
    json(ctx, 200, StatusReport.of(status).encode());
  }

  /**
   * Built from the registry on each scrape (every few seconds), on this event loop: a millisecond or so. Right
   * after ready the text can wait a moment for the JVM's meters (see MetricsComponent).
   */
  private void metrics(RoutingContext ctx) {
    metrics.get().onComplete(text -> {
      if (text.succeeded()) {
        Responses.answer(ctx, 200, Responses.PROMETHEUS).end(text.result());
      } else {
        ctx.fail(text.cause());
      }
    });
  }

  /** Answers after {@code ms} on a timer: a request that can outlast the shutdown deadline. */
  private void timeout(RoutingContext ctx) {
    String raw = ctx.request().getParam("ms");
    long ms;
    try {
      ms = raw == null ? DEFAULT_TIMEOUT_MS : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      ms = -1;
    }
    if (ms < 0 || ms > MAX_TIMEOUT_MS) {
      text(ctx, 400, "ms must be a whole number from 0 to " + MAX_TIMEOUT_MS);
      return;
    }
    long waited = ms;
    long timer = vertx.setTimer(Math.max(1, ms), id -> text(ctx, 200, "waited " + waited + " ms"));
    ctx.response().closeHandler(ignored -> vertx.cancelTimer(timer));
  }

  private static boolean printable(String s) {
    return s.codePoints().allMatch(cp -> !Character.isISOControl(cp) && Character.isDefined(cp)
        && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.SURROGATE
        && Character.getType(cp) != Character.PRIVATE_USE);
  }
}
