package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.config.ServiceConfig;
import io.example.service.http.HttpComponent;
import io.example.service.lifecycle.Component;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.WarmupTraffic;
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
   * entry here.
   */
  static List<Component> of(ServiceConfig config, ServiceStatus status, ClusterNode cluster) {
    Job job = Job.simulated(config.worker().jobMs());
    List<Component> parts = new ArrayList<>();
    WarmupTraffic warmup = WarmupTraffic.create(); // its requests are counted by neither http nor metrics
    HttpComponent http;
    if (config.metrics().enabled()) {
      var scrape = new AtomicReference<MetricsComponent>();
      http = new HttpComponent(config, status, () -> scrape.get().scrape(), warmup);
      scrape.set(new MetricsComponent(status, http.rejections(), warmup));
      parts.add(scrape.get());
    } else {
      http = new HttpComponent(config, status, null, warmup);
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
