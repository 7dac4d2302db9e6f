package io.example.service.metrics;

import io.example.service.http.Rejections;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervision;
import io.micrometer.core.instrument.Meter;
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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics registry as a part of the service. It is first in the component list, so it stops last: a
 * scrape during the whole drain still answers, and shows {@code service_state{state="DRAINING"} 1}.
 *
 * <p>The registry is the one Vert.x was built with ({@link MetricsSetup}), which holds Vert.x's HTTP server
 * meters. A Vert.x built without it (a launcher given no metrics options) gets a registry of our own, so
 * {@code /metrics} still has the service's and the JVM's meters.
 */
public final class MetricsComponent implements Component {

  public static final String NAME = "metrics";
  private static final Logger log = LoggerFactory.getLogger(MetricsComponent.class);

  private final ServiceStatus status;
  private final Rejections rejections;
  private volatile PrometheusMeterRegistry registry;
  private volatile boolean ownRegistry;
  private volatile JvmGcMetrics gcMetrics;
  private volatile List<Meter> bound = List.of();

  public MetricsComponent(ServiceStatus status, Rejections rejections) {
    this.status = status;
    this.rejections = rejections;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    // Binding loads a few hundred classes and reads the JVM's management beans: off the event loop, and
    // beside http's own start.
    return vertx.executeBlocking(() -> {
      PrometheusMeterRegistry found = registryOf(vertx);
      bind(found);
      registry = found;
      return null;
    });
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    return Future.succeededFuture(); // nothing to finish: it keeps answering scrapes until http has gone
  }

  @Override
  public Future<Void> undeploy() {
    JvmGcMetrics gc = gcMetrics;
    if (gc != null) {
      gc.close(); // its GC notification listeners outlive the registry otherwise
    }
    PrometheusMeterRegistry current = registry;
    if (current == null) {
      return Future.succeededFuture();
    }
    if (ownRegistry) {
      Metrics.removeRegistry(current);
      current.close();
    } else {
      // Vert.x's registry lives on until Vert.x closes: a later deployment must not find meters that read
      // this one's status.
      bound.forEach(current::remove);
    }
    return Future.succeededFuture();
  }

  /** The Prometheus text of every meter; empty before the start has bound them. */
  public String scrape() {
    PrometheusMeterRegistry current = registry;
    return current == null ? "" : current.scrape();
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

  private void bind(PrometheusMeterRegistry target) {
    new JvmMemoryMetrics().bindTo(target);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(target);
    gcMetrics = gc;
    new JvmThreadMetrics().bindTo(target);
    new ProcessorMetrics().bindTo(target);
    new UptimeMetrics().bindTo(target);
    ServiceMeters.bind(target, status, rejections, ManagementFactory.getRuntimeMXBean().getStartTime());
    bound = target.getMeters().stream().filter(meter -> !meter.getId().getName().startsWith("vertx.")).toList();
  }
}
