package io.example.service.metrics;

import io.example.service.http.Rejections;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry as a part of the service. It is first in the component list, so it stops last: a
 * scrape during the whole drain still answers, and shows {@code service_state{state="DRAINING"} 1}.
 *
 * <p>The registry is the one Vert.x was built with ({@link MetricsSetup}), which holds Vert.x's HTTP server
 * meters. A Vert.x built without it (a launcher given no metrics options) gets a registry of our own, so
 * {@code /metrics} still has the service's and the JVM's meters.
 *
 * <p>The service's meters are bound at the start. The JVM's are bound once the service is ready, on a worker
 * thread: binding them loads about 200 classes (the JDK's management beans and Micrometer's binders) and took
 * about 35 ms of a 2-core machine's start, for meters that only a scrape reads. A scrape that arrives while
 * they are being bound waits for them (tens of milliseconds), so no scrape after ready lacks them; one that
 * arrives before ready (http listens a moment before the rest is started) has the service's meters only.
 */
public final class MetricsComponent implements Component {

  public static final String NAME = "metrics";
  private static final Logger log = LoggerFactory.getLogger(MetricsComponent.class);

  private final ServiceStatus status;
  private final Rejections rejections;
  private final Consumer<MeterRegistry> jvmBinder;
  private volatile Vertx vertx;
  private volatile PrometheusMeterRegistry registry;
  private volatile boolean ownRegistry;
  private volatile JvmGcMetrics gcMetrics;
  /** Completes once the JVM's meters are bound (or their binding failed); null before ready. */
  private volatile Future<Void> jvmMeters;

  public MetricsComponent(ServiceStatus status, Rejections rejections) {
    this(status, rejections, null);
  }

  /** @param jvmBinder binds the JVM's meters; null: {@link #bindJvm}. A test's can be slow. */
  MetricsComponent(ServiceStatus status, Rejections rejections, Consumer<MeterRegistry> jvmBinder) {
    this.status = status;
    this.rejections = rejections;
    this.jvmBinder = jvmBinder == null ? this::bindJvm : jvmBinder;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    this.vertx = vertx;
    // Off the event loop: building a registry of our own loads Micrometer and the Prometheus client.
    return vertx.executeBlocking(() -> {
      PrometheusMeterRegistry found = registryOf(vertx);
      ServiceMeters.bind(found, status, rejections, ManagementFactory.getRuntimeMXBean().getStartTime());
      registry = found;
      return null;
    });
  }

  @Override
  public void ready() {
    PrometheusMeterRegistry target = registry;
    jvmMeters = vertx.<Void>executeBlocking(() -> {
      jvmBinder.accept(target);
      return null;
    }).recover(failure -> {
      log.warn("metrics: the JVM's meters could not be bound: {}", failure.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return Future.succeededFuture(); // nothing to finish: it keeps answering scrapes until http has gone
  }

  @Override
  public Future<Void> undeploy() {
    Future<Void> binding = jvmMeters;
    // A binding still under way ends within tens of milliseconds; what it binds is removed after it.
    return binding == null ? Future.succeededFuture(release()) : binding.map(ignored -> release());
  }

  private Void release() {
    JvmGcMetrics gc = gcMetrics;
    if (gc != null) {
      gc.close(); // its GC notification listeners outlive the registry otherwise
    }
    PrometheusMeterRegistry current = registry;
    if (current == null) {
      return null;
    }
    if (ownRegistry) {
      Metrics.removeRegistry(current);
      current.close();
    } else {
      // Vert.x's registry lives on until Vert.x closes: a later deployment must not find meters that read
      // this one's status.
      current.getMeters().stream().filter(meter -> !meter.getId().getName().startsWith("vertx."))
          .forEach(current::remove);
    }
    return null;
  }

  /**
   * The Prometheus text of every meter, once the JVM's meters are bound if their binding has begun; empty
   * before the start has made the registry.
   */
  public Future<String> scrape() {
    PrometheusMeterRegistry current = registry;
    if (current == null) {
      return Future.succeededFuture("");
    }
    Future<Void> binding = jvmMeters;
    return binding == null || binding.isComplete()
        ? Future.succeededFuture(current.scrape())
        : binding.map(ignored -> current.scrape());
  }

  private PrometheusMeterRegistry registryOf(Vertx vertx) {
    if (BackendRegistries.getNow(MetricsSetup.REGISTRY_NAME) instanceof PrometheusMeterRegistry vertxs) {
      return vertxs;
    }
    ownRegistry = true;
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (vertx.isMetricsEnabled()) {
      // Metrics on without a backend (-Dvertx.metrics.options.enabled=true alone): Vert.x records into
      // Micrometer's global registry, which forwards to every registry added to it.
      Metrics.addRegistry(own);
      log.info("metrics: Vert.x records into the global registry; /metrics reads it");
    } else {
      log.info("metrics: this Vert.x was built without metrics options; /metrics has the service and JVM meters only");
    }
    return own;
  }

  private void bindJvm(MeterRegistry target) {
    new JvmMemoryMetrics().bindTo(target);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(target);
    gcMetrics = gc;
    new JvmThreadMetrics().bindTo(target);
    new ProcessorMetrics().bindTo(target);
    new UptimeMetrics().bindTo(target);
  }
}
