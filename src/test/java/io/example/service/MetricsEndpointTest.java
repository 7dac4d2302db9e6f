package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.http.HttpComponent;
import io.example.service.http.Rejections;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.lifecycle.WarmupTraffic;
import io.example.service.metrics.MetricsComponent;
import io.example.service.metrics.MetricsSetup;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerComponent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /metrics} of an embedded service, in a Vert.x built as the main mode builds it: every meter of
 * the contract with its labels, and the meters moving with jobs, refusals and the stop.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
public class MetricsEndpointTest {

  private static final String BASE = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2,\"maxHeaderBytes\":1024},"
      + "\"worker\":{\"intervalMs\":20,\"jobMs\":5},\"shutdown\":{\"timeoutMs\":3000,\"drainDelayMs\":0}";
  private static final List<String> CONTRACT_SERIES = List.of(
      "service_state{state=\"STARTING\"}", "service_state{state=\"READY\"}", "service_state{state=\"DRAINING\"}",
      "service_state{state=\"STOPPING\"}", "service_ready_seconds",
      "service_worker_jobs_total{outcome=\"ok\"}", "service_worker_jobs_total{outcome=\"failed\"}",
      "service_worker_jobs_total{outcome=\"timeout\"}", "service_worker_job_duration_seconds_count", "service_worker_job_duration_seconds_sum",
      "service_worker_last_success_timestamp_seconds", "service_worker_active",
      "service_http_rejected_total{reason=\"header_too_large\"}", "service_http_rejected_total{reason=\"bad_request\"}");
  private static final List<String> VERTX_AND_JVM = List.of(
      "vertx_http_server_requests_total", "vertx_http_server_active_connections", "vertx_http_server_active_requests",
      "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
      "system_cpu_count", "process_uptime_seconds");

  private final ServiceStatus status = new ServiceStatus();
  private Vertx vertx;
  private MetricsComponent metrics;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void scrape_has_every_contract_meter_with_its_labels() throws Exception {
    ServiceConfig config = config("");
    start(new SupervisorVerticle(config, status, null), config);
    Http.get(StatusReads.httpPort(status), "/");
    Scrape scrape = awaitScrape(s -> s.value("service_worker_jobs_total{outcome=\"ok\"}") >= 1);

    CONTRACT_SERIES.forEach(series -> assertNotNull(scrape.value(series), series + " missing in " + scrape));
    VERTX_AND_JVM.forEach(name -> assertTrue(scrape.has(name), name + " missing in " + scrape));
    assertEquals(1.0, scrape.value("service_state{state=\"READY\"}"));
    assertEquals(0.0, scrape.value("service_state{state=\"STARTING\"}"));
    assertEquals(1.0, scrape.value("service_worker_active"));
    double ready = scrape.value("service_ready_seconds");
    assertTrue(ready > 0 && ready < 3600, "ready after " + ready + " s");
    double lastSuccess = scrape.value("service_worker_last_success_timestamp_seconds");
    assertTrue(Math.abs(System.currentTimeMillis() / 1000.0 - lastSuccess) < 60, "last success at " + lastSuccess);
    assertTrue(scrape.value("vertx_http_server_requests_total") >= 1);
  }

  @Test
  void a_failed_job_moves_the_failed_outcome() throws Exception {
    ServiceConfig config = config("");
    vertx = MetricsSetup.vertxBuilder(config, new io.vertx.core.VertxOptions()).build();
    Job failing = v -> Future.failedFuture("job failed on purpose");
    metrics = new MetricsComponent(status, WarmupTraffic.create());
    var http = new HttpComponent(config, status, metrics::scrape, List.of(), WarmupTraffic.create());
    var worker = new WorkerComponent(config, failing);
    status.add(worker.state());
    status.add(http.state());
    var supervisor = new Supervisor(List.of(metrics, worker, http), status,
        5000, 3000);
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);

    Scrape scrape = awaitScrape(s -> s.value("service_worker_jobs_total{outcome=\"failed\"}") >= 2);
    assertEquals(0.0, scrape.value("service_worker_jobs_total{outcome=\"ok\"}"));
    assertTrue(Double.isNaN(scrape.value("service_worker_last_success_timestamp_seconds")), "no job ever succeeded");
    assertTrue(scrape.value("service_worker_job_duration_seconds_count") >= 2);
    supervisor.stop(Termination.requested()).await(5, TimeUnit.SECONDS);
  }

  /**
   * The warm-up sends thousands of requests through both instances before READY; neither the HTTP meters nor
   * the request count of /status see one of them, and the requests after it count as always.
   */
  @Test
  void warm_up_requests_are_counted_nowhere() throws Exception {
    ServiceConfig config = config("");
    vertx = MetricsSetup.vertxBuilder(config, new io.vertx.core.VertxOptions()).build();
    WarmupTraffic warmup = WarmupTraffic.create();
    metrics = new MetricsComponent(status, warmup);
    var http = new HttpComponent(config, status, metrics::scrape, List.of(), warmup);
    status.add(http.state());
    var supervisor = new Supervisor(List.of(metrics, http), status, 10_000, 600, 3000);
    supervisor.start(vertx).await(10, TimeUnit.SECONDS);

    assertEquals(2, warmup.loopsServed(), "the warm-up reached both instances' event loops");
    assertFalse(warmup.active(), "over before READY");
    assertEquals(0, StatusReads.requestsReceived(status));
    Scrape first = Scrape.parse(Http.get(StatusReads.httpPort(status), "/metrics").body());
    assertEquals(0.0, first.value("vertx_http_server_requests_total"));
    assertEquals(0.0, first.value("vertx_http_server_response_time_seconds_count"));
    Http.get(StatusReads.httpPort(status), "/");
    assertEquals(2, StatusReads.requestsReceived(status), "the scrape and the greeting");
    Scrape after = awaitScrape(s -> s.value("vertx_http_server_requests_total") >= 2);
    assertEquals(2.0, after.value("vertx_http_server_requests_total"));
    supervisor.stop(Termination.requested()).await(5, TimeUnit.SECONDS);
  }

  @Test
  void an_oversized_header_moves_its_rejection_reason() throws Exception {
    ServiceConfig config = config("");
    start(new SupervisorVerticle(config, status, null), config);
    String big = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4096) + "\r\n\r\n";

    assertEquals(431, RawHttp.exchange(StatusReads.httpPort(status), big, 5000, true).status());
    Scrape scrape = awaitScrape(s -> s.value("service_http_rejected_total{reason=\"header_too_large\"}") >= 1);
    assertEquals(1.0, scrape.value("service_http_rejected_total{reason=\"header_too_large\"}"));
    assertEquals(0.0, scrape.value("service_http_rejected_total{reason=\"bad_request\"}"));
  }

  @Test
  void metrics_disabled_gives_404_and_no_registry() throws Exception {
    ServiceConfig config = config(",\"metrics\":{\"enabled\":false}");
    start(new SupervisorVerticle(config, status, null), config);

    assertEquals(404, Http.get(StatusReads.httpPort(status), "/metrics").statusCode());
    assertEquals(200, Http.get(StatusReads.httpPort(status), "/").statusCode());
    assertFalse(vertx.isMetricsEnabled(), "no metrics SPI in Vert.x");
    assertNull(BackendRegistries.getDefaultNow(), "no Micrometer registry");
  }

  private void start(SupervisorVerticle service, ServiceConfig config) throws Exception {
    vertx = MetricsSetup.vertxBuilder(config, new io.vertx.core.VertxOptions()).build();
    vertx.deployVerticle(service).await(10, TimeUnit.SECONDS);
  }

  /** Scrapes until {@code until} holds, at most 5 s. */
  private Scrape awaitScrape(Predicate<Scrape> until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      HttpResponse<String> response = Http.get(StatusReads.httpPort(status), "/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
      Scrape scrape = Scrape.parse(response.body());
      if (until.test(scrape) || System.nanoTime() > deadline) {
        return scrape;
      }
      vertx.timer(20, TimeUnit.MILLISECONDS).await(1, TimeUnit.SECONDS); // the test thread waits; no event loop does
    }
  }

  private static ServiceConfig config(String more) {
    return ConfigLoader.load(BASE + more + "}", Map.of());
  }
}
