package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.config.ServiceConfig;
import io.example.service.http.AddedRoutes;
import io.example.service.http.HttpComponent;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.metrics.MetricsComponent;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The parts of the service, as the supervisor starts and stops them. */
final class ServiceComponents {

  private ServiceComponents() {}

  /**
   * The service's components in start order; they stop in the reverse order, http first, so that the
   * worker keeps running while requests drain, then the cluster, once the worker has handed over, and
   * metrics last, so that a scrape during the drain still answers. A new part of the service is one more
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
    HttpComponent http;
    if (config.metrics().enabled()) {
      var scrape = new AtomicReference<MetricsComponent>();
      http = new HttpComponent(config, status, () -> scrape.get().scrape(), routes);
      scrape.set(new MetricsComponent(status, http.rejections()));
      parts.add(scrape.get());
    } else {
      http = new HttpComponent(config, status, null, routes);
    }
    if (cluster != null) {
      parts.add(cluster.component(status));
      parts.add(new WorkerComponent(config, status, job, cluster.lease()));
    } else {
      parts.add(new WorkerComponent(config, status, job));
    }
    parts.add(http);
    return List.copyOf(parts);
  }
}
