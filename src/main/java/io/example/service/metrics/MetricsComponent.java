package io.example.service.metrics;

import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.example.service.lifecycle.WarmupTraffic;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry as a part of the service. It is first in the component list, so it stops last: a
 * scrape during the whole drain still answers, and shows {@code service_state{state="DRAINING"} 1}, on the
 * HTTP port or on the management listener, which stops just before it.
 *
 * <p>In the main mode Vert.x is built with {@link LeanVertxMetrics}, whose HTTP server meters count from the
 * first request without a registry. The registry is made here, with every meter bound to it (the service's,
 * the HTTP server's and the JVM's), once, on a worker thread, at the first scrape: making it loads the
 * Prometheus client, Micrometer and the JDK's management beans (about 550 classes and 8-10 MiB) for meters
 * that only a scrape reads. During the start it took CPU from the start itself on 2 cores, and right after
 * ready from the first requests, which run cold code. The first scrape waits for it (100-200 ms); the
 * meters read what the service counted from its start, but the JVM's GC meters count from the binding.
 * Under the stock launcher with {@code -options}, Vert.x made the registry itself and the meters are bound
 * to it; with no metrics options at all, the registry is our own, with the service's and the JVM's meters.
 */
public final class MetricsComponent implements Component {

  public static final String NAME = "metrics";
  private static final Logger log = LoggerFactory.getLogger(MetricsComponent.class);

  private final ServiceStatus status;
  private final WarmupTraffic warmup;
  private volatile Vertx vertx;
  private volatile boolean ownRegistry;
  private volatile boolean inGlobalRegistry;
  private volatile JvmGcMetrics gcMetrics;
  /** Completes once the registry is made and every meter bound (or that failed); null until it begins. */
  private Future<PrometheusMeterRegistry> binding;

  /**
   * @param status the service's state, and its parts, whose meters are bound with the registry
   * @param warmup the HTTP meters do not count its requests; null: no warm-up to leave out
   */
  public MetricsComponent(ServiceStatus status, WarmupTraffic warmup) {
    this.status = status;
    this.warmup = warmup;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    this.vertx = vertx;
    LeanHttpServerMetrics httpServer = LeanVertxMetrics.httpServerOf(vertx);
    if (httpServer != null && warmup != null) {
      httpServer.leaveOut(warmup); // before the warm-up, which comes once every component has started
    }
    return Future.succeededFuture(); // the registry comes after the start: see the class comment
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return Future.succeededFuture(); // nothing to finish: it keeps answering scrapes until http has gone
  }

  @Override
  public Future<Void> undeploy() {
    Future<PrometheusMeterRegistry> bound;
    synchronized (this) {
      bound = binding;
      binding = Future.succeededFuture(null); // no binding may begin after this
    }
    // A binding still under way ends within tens of milliseconds; what it bound is removed after it.
    if (bound == null) {
      return Future.succeededFuture();
    }
    return bound.otherwise((PrometheusMeterRegistry) null).map(this::release); // a failed binding bound nothing
  }

  /** The Prometheus text of every meter; the first call makes the registry and waits for it. */
  public Future<String> scrape() {
    return bind().map(current -> current == null ? "" : current.scrape());
  }

  /** Makes the registry and binds every meter, once; later calls get the same future. */
  private synchronized Future<PrometheusMeterRegistry> bind() {
    if (binding == null) {
      Vertx current = vertx;
      if (current == null) {
        return Future.succeededFuture(null); // not started: nothing to bind to yet
      }
      binding = current.<PrometheusMeterRegistry>executeBlocking(() -> {
        PrometheusMeterRegistry made = registryOf(current);
        ServiceMeters.bind(made, status, ManagementFactory.getRuntimeMXBean().getStartTime());
        try {
          bindJvm(made);
        } catch (RuntimeException e) {
          log.warn("metrics: the JVM's meters could not be bound: {}", e.toString());
        }
        return made;
      });
    }
    return binding;
  }

  private Void release(PrometheusMeterRegistry bound) {
    JvmGcMetrics gc = gcMetrics;
    if (gc != null) {
      gc.close(); // its GC notification listeners outlive the registry otherwise
    }
    if (bound == null) {
      return null;
    }
    if (ownRegistry) {
      if (inGlobalRegistry) {
        Metrics.removeRegistry(bound);
      }
      bound.close();
    } else {
      // Vert.x's registry lives on until Vert.x closes: a later deployment must not find meters that read
      // this one's status.
      bound.getMeters().stream().filter(meter -> !meter.getId().getName().startsWith("vertx."))
          .forEach(bound::remove);
    }
    return null;
  }

  private PrometheusMeterRegistry registryOf(Vertx vertx) {
    if (BackendRegistries.getNow(MetricsSetup.REGISTRY_NAME) instanceof PrometheusMeterRegistry vertxs) {
      return vertxs; // the stock launcher with -options: Vert.x's own meters are already in it
    }
    ownRegistry = true;
    PrometheusMeterRegistry own = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    LeanHttpServerMetrics httpServer = LeanVertxMetrics.httpServerOf(vertx);
    if (httpServer != null) {
      httpServer.bindTo(own); // the main mode
    } else if (vertx.isMetricsEnabled()) {
      // Metrics on without a backend (-Dvertx.metrics.options.enabled=true alone): Vert.x records into
      // Micrometer's global registry, which forwards to every registry added to it.
      Metrics.addRegistry(own);
      inGlobalRegistry = true;
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
