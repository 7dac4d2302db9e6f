package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.metrics.MetricsComponent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recipe 3 of docs/make-it-yours.md, "Add a part": a client pool, one more entry in the component list right
 * after metrics, among the service's real components. It stops after the worker and before metrics; a failed
 * start of it is {@code deploy-failure:quote-client} (exit 15) and a failure at runtime {@code
 * failure:quote-client} (exit 1).
 *
 * <p>These tests stop at the {@link Termination}, the value the supervisor hands to the process edge. That the
 * edge turns a Termination into its summary line and exit code, whichever component it names, is covered with
 * the real jar: ServiceProcessIT and ComponentEndsIT (deploy-failure:http and deploy-failure:worker, exit 15;
 * failure:http and failure:worker, exit 1). The summary asserted here is the line the edge prints.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public class RecipeAddAPartTest {

  /**
   * The recipe's part: the pool of connections to the quote service, for the job and the routes. Its start
   * checks that the service is there; once the service is ready it keeps checking, and three failed checks in
   * a row are a failure of this part, which stops the service.
   */
  static final class QuoteClientPool implements Component, PartStatus {

    static final String NAME = "quote-client";
    private static final int FATAL_FAILED_CHECKS = 3;

    private final String host;
    private final int port;
    private final long checkEveryMs;
    private Vertx vertx;
    private Supervision supervision;
    private volatile HttpClient client;
    private volatile boolean closed;
    private volatile int failedChecks; // one check at a time: each is scheduled when the last one has ended

    QuoteClientPool(String host, int port, long checkEveryMs) {
      this.host = host;
      this.port = port;
      this.checkEveryMs = checkEveryMs;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Future<Void> start(Vertx vertx, Supervision supervision) {
      this.vertx = vertx;
      this.supervision = supervision;
      client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(host).setDefaultPort(port),
          new PoolOptions().setHttp1MaxSize(8));
      return check(); // the quote service is not there: the start fails, and names this part
    }

    @Override
    public void ready() {
      scheduleCheck();
    }

    @Override
    public Future<Void> drain(Deadline deadline) {
      return Future.succeededFuture(); // nothing of its own to finish: its users stopped before it
    }

    @Override
    public Future<Void> undeploy() {
      closed = true;
      HttpClient current = client;
      return current == null ? Future.succeededFuture() : current.close();
    }

    /** Its section of /status: a name of its own, so that it never overwrites another part's. */
    @Override
    public void addTo(JsonObject report) {
      report.put("quoteClient", new JsonObject().put("failedChecks", failedChecks));
    }

    /** Its meter in /metrics: read when scraped, nothing recorded per check. */
    @Override
    public void bindTo(MeterRegistry registry) {
      Gauge.builder("quote_client_failed_checks", this, pool -> pool.failedChecks)
          .description("Failed checks of the quote service in a row").register(registry);
    }

    private void scheduleCheck() {
      if (!closed) {
        vertx.setTimer(checkEveryMs, id -> check().onComplete(this::checked));
      }
    }

    private void checked(AsyncResult<Void> check) {
      failedChecks = check.succeeded() ? 0 : failedChecks + 1;
      if (failedChecks == FATAL_FAILED_CHECKS && !closed) {
        supervision.failed(NAME, check.cause()); // the whole service stops
      } else {
        scheduleCheck();
      }
    }

    private Future<Void> check() {
      return client.request(new RequestOptions().setURI("/healthz").setConnectTimeout(1000))
          .compose(request -> request.send().timeout(1000, TimeUnit.MILLISECONDS))
          .compose(response -> response.body().compose(body -> response.statusCode() == 200
              ? Future.<Void>succeededFuture()
              : Future.<Void>failedFuture("quote service answered " + response.statusCode())));
    }
  }

  private static final ServiceConfig CONFIG = ConfigLoader.load("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,"
      + "\"instances\":1},\"worker\":{\"intervalMs\":50,\"jobMs\":1},"
      + "\"shutdown\":{\"timeoutMs\":5000,\"drainDelayMs\":0}}", Map.of());

  private final ServiceStatus status = new ServiceStatus();
  private final List<String> stopSteps = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private QuoteRemote remote;
  private int remotePort;

  @BeforeEach
  void remote() throws Exception {
    vertx = Vertx.vertx();
    remote = new QuoteRemote(vertx);
    remotePort = remote.start();
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void recipe_part_stops_after_the_worker_and_before_metrics() throws Exception {
    Supervisor supervisor = supervisor();
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);

    supervisor.stop(Termination.signal("SIGTERM")).await(10, TimeUnit.SECONDS);

    assertEquals(List.of("http drain", "http undeploy", "worker drain", "worker undeploy",
        "quote-client drain", "quote-client undeploy", "metrics drain", "metrics undeploy"), stopSteps);
  }

  @Test
  void recipe_part_failing_to_start_is_deploy_failure_naming_it_exit_15() throws Exception {
    remote.health(503);
    Supervisor supervisor = supervisor();

    Throwable cause = supervisor.start(vertx).transform(started -> Future.succeededFuture(started.cause()))
        .await(10, TimeUnit.SECONDS);

    DeployFailure failure = assertInstanceOf(DeployFailure.class, cause);
    assertEquals(QuoteClientPool.NAME, failure.component());
    assertTrue(vertx.deploymentIDs().isEmpty(), "http and the worker were undeployed: " + vertx.deploymentIDs());
    // What the process edge makes of a DeployFailure, in both launch modes.
    Termination termination = Termination.deployFailure(failure.component());
    assertTrue(termination.summary(0).startsWith("service stopped: reason=deploy-failure:quote-client, exit=15"),
        termination.summary(0));
  }

  @Test
  void recipe_part_failing_at_runtime_stops_the_service_as_failure_naming_it_exit_1() throws Exception {
    Supervisor supervisor = supervisor();
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);

    remote.health(503);
    Termination termination = supervisor.stopped().get(10, TimeUnit.SECONDS);

    assertTrue(termination.summary(0).startsWith("service stopped: reason=failure:quote-client, exit=1"),
        termination.summary(0));
    assertEquals(List.of("http", "worker", "quote-client", "metrics"), drained(), "stopped in order");
    assertTrue(vertx.deploymentIDs().isEmpty(), "left deployed: " + vertx.deploymentIDs());
  }

  @Test
  void recipe_part_shows_its_section_in_status_and_its_meter_in_metrics() throws Exception {
    Supervisor supervisor = supervisor();
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);
    int port = StatusReads.httpPort(status);

    JsonObject report = new JsonObject(Http.get(port, "/status").body());
    assertEquals(new JsonObject().put("failedChecks", 0), report.getJsonObject("quoteClient"));
    assertTrue(report.containsKey("worker") && report.containsKey("http"), "the service's own sections stay");
    Scrape scrape = Scrape.parse(Http.get(port, "/metrics").body());
    assertEquals(0.0, scrape.value("quote_client_failed_checks"));
    supervisor.stop(Termination.signal("SIGTERM")).await(10, TimeUnit.SECONDS);
  }

  /**
   * The component list with the pool where the recipe puts it, right after metrics; each component's stop
   * steps are written down as the stop plan calls them.
   */
  private Supervisor supervisor() {
    List<Component> parts = new ArrayList<>(ServiceComponents.of(CONFIG, status, null));
    int metrics = parts.indexOf(parts.stream().filter(MetricsComponent.class::isInstance).findFirst().orElseThrow());
    QuoteClientPool pool = new QuoteClientPool("127.0.0.1", remotePort, 50);
    parts.add(metrics + 1, pool);
    status.add(pool); // its own section of /status and its meter
    return new Supervisor(parts.stream().map(this::recorded).toList(), status, CONFIG.startup().timeoutMs(),
        CONFIG.shutdown().timeoutMs());
  }

  private List<String> drained() {
    return stopSteps.stream().filter(step -> step.endsWith(" drain")).map(step -> step.replace(" drain", "")).toList();
  }

  /** {@code part}, passing every call on and writing down its stop steps. */
  private Component recorded(Component part) {
    return new Component() {
      @Override
      public String name() {
        return part.name();
      }

      @Override
      public Future<Void> start(Vertx vertx, Supervision supervision) {
        return part.start(vertx, supervision);
      }

      @Override
      public void ready() {
        part.ready();
      }

      @Override
      public Future<Void> drain(Deadline deadline) {
        stopSteps.add(part.name() + " drain");
        return part.drain(deadline);
      }

      @Override
      public Future<Void> undeploy() {
        stopSteps.add(part.name() + " undeploy");
        return part.undeploy();
      }
    };
  }
}
