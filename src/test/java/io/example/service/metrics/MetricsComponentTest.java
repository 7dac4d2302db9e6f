package io.example.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.TestSupervision;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry as a component: made at the first scrape, not during the start, with every meter bound to it;
 * a scrape that arrives while they are being bound waits for them instead of answering without them.
 */
public class MetricsComponentTest {

  private static final String SLOW_METER = "test_bound_after_ready";

  private final ServiceStatus status = new ServiceStatus();
  private final CountDownLatch bindingMayEnd = new CountDownLatch(1);
  private final AtomicReference<MeterRegistry> boundTo = new AtomicReference<>(); // what the binder was given
  private volatile boolean bindingBegun;
  private Vertx vertx;
  private MetricsComponent metrics;

  @BeforeEach
  void start() throws Exception {
    ServiceConfig config = ConfigLoader.load("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0}}", Map.of());
    vertx = MetricsSetup.vertxBuilder(config, new VertxOptions()).build();
    // A part whose meters take their time: it binds one meter, once the test lets it (on the binding's thread).
    status.add(new PartStatus() {
      @Override
      public void addTo(JsonObject report) {
      }

      @Override
      public void bindTo(MeterRegistry registry) {
        bindingBegun = true;
        try {
          bindingMayEnd.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        Gauge.builder(SLOW_METER, () -> 1).register(registry);
        boundTo.set(registry);
      }
    });
    metrics = new MetricsComponent(status, null);
    metrics.start(vertx, new TestSupervision(cause -> { })).await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    bindingMayEnd.countDown();
    metrics.undeploy().await(5, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void nothing_is_bound_before_the_first_scrape() throws Exception {
    assertFalse(bindingBegun, "the meters were bound during the start");
    metrics.ready();
    assertFalse(bindingBegun, "the meters were bound at ready");
  }

  @Test
  void the_first_scrape_makes_the_registry_even_before_ready() throws Exception {
    bindingMayEnd.countDown();
    String text = metrics.scrape().await(5, TimeUnit.SECONDS);

    assertTrue(text.contains("service_state{state=\"STARTING\"} 1.0"), text);
    assertTrue(text.contains(SLOW_METER), text);
    assertTrue(text.contains("vertx_http_server_requests_total"), "the HTTP server's meters: " + text);
  }

  @Test
  void a_scrape_during_the_binding_waits_for_it() throws Exception {
    VertxTestContext testContext = new VertxTestContext();
    var scrape = metrics.scrape();
    assertFalse(scrape.isComplete(), "answered while a part's meters were still being bound");

    bindingMayEnd.countDown();
    scrape.onComplete(testContext.succeeding(text -> testContext.verify(() -> {
      assertTrue(text.contains(SLOW_METER), text);
      testContext.completeNow();
    })));
    assertTrue(testContext.awaitCompletion(5, TimeUnit.SECONDS), "the scrape never answered");
    if (testContext.failed()) {
      throw new AssertionError(testContext.causeOfFailure());
    }
  }

  @Test
  void undeploy_closes_the_registry_it_made_and_no_scrape_makes_another() throws Exception {
    bindingMayEnd.countDown();
    assertTrue(metrics.scrape().await(5, TimeUnit.SECONDS).contains(SLOW_METER));
    assertFalse(boundTo.get().isClosed());

    metrics.undeploy().await(5, TimeUnit.SECONDS);

    assertTrue(boundTo.get().isClosed(), "the registry outlived its component");
    assertEquals("", metrics.scrape().await(5, TimeUnit.SECONDS), "a scrape after the undeploy made a registry");
  }
}
