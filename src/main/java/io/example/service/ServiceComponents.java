package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.cluster.ClusterView;
import io.example.service.config.ServiceConfig;
import io.example.service.http.AddedRoutes;
import io.example.service.http.HttpComponent;
import io.example.service.http.ManagementComponent;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.WarmupTraffic;
import io.example.service.metrics.MetricsComponent;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerComponent;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The parts of the service, as the supervisor starts and stops them. */
final class ServiceComponents {

  private ServiceComponents() {}

  /**
   * The service's components in start order; they stop in the reverse order, http first, so that the
   * worker keeps running while requests drain, then the cluster, once the worker has handed over, then
   * the management listener, so that probes and scrapes are answered through the whole stop, and metrics
   * last: its undeploy releases the registry that a scrape reads. A new part of the service is one more
   * entry here; docs/make-it-yours.md says where.
   */
  static List<Component> of(ServiceConfig config, ServiceStatus status, ClusterNode cluster) {
    return of(config, status, cluster, List.of()); // a team's own routes go in this list
  }

  /** The same, with {@code routes} added to the route table after the service's own. */
  static List<Component> of(ServiceConfig config, ServiceStatus status, ClusterNode cluster,
                            List<AddedRoutes> routes) {
    Job job = Job.simulated(config.worker().jobMs()); // the job the worker runs: a team's own replaces it
    List<Component> parts = new ArrayList<>();
    WarmupTraffic warmup = WarmupTraffic.create(); // its requests are counted by neither http nor metrics
    MetricsComponent metrics = config.metrics().enabled() ? new MetricsComponent(status, warmup) : null;
    Supplier<Future<String>> scrape = metrics == null ? null : metrics::scrape;
    boolean management = config.management().enabled();
    // With a management listener the operational endpoints are served there, and the HTTP port has none.
    HttpComponent http = new HttpComponent(config, status, management ? null : scrape, routes, warmup);
    ManagementComponent listener = management ? new ManagementComponent(config, status, http, scrape) : null;
    WorkerComponent worker = cluster != null
        ? new WorkerComponent(config, job, cluster.workerRole()) : new WorkerComponent(config, job);
    if (metrics != null) {
      parts.add(metrics);
    }
    if (listener != null) {
      parts.add(listener);
    }
    if (cluster != null) {
      parts.add(cluster.component());
    }
    parts.add(worker);
    parts.add(http);
    // Each part keeps its own state; /status shows their sections in this order, and /metrics binds their meters.
    status.add(worker.state());
    status.add(cluster != null ? cluster.view() : ClusterView.alone());
    status.add(http.state());
    status.add(listener != null ? listener.state() : ManagementComponent.off());
    return List.copyOf(parts);
  }
}
