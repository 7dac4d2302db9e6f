package io.example.service.metrics;

import io.example.service.lifecycle.PartStatus;
import io.example.service.lifecycle.ServiceStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own meters: its state and when it became ready, then each part's own meters (the worker's
 * jobs, http's refusals), which each part defines in its {@link PartStatus}. Every one reads a value the
 * service keeps anyway, when it is scraped: nothing is recorded on the request path or per job. Micrometer adds
 * the Prometheus suffixes: a counter named {@code service_worker_jobs} is scraped as
 * {@code service_worker_jobs_total}, and a timer gets {@code _seconds}.
 */
final class ServiceMeters {

  private static final Logger log = LoggerFactory.getLogger(ServiceMeters.class);

  private ServiceMeters() {}

  /** @param processStartMillis when the JVM started (epoch milliseconds) */
  static void bind(MeterRegistry registry, ServiceStatus status, long processStartMillis) {
    for (ServiceStatus.State state : ServiceStatus.State.values()) {
      Gauge.builder("service_state", status, s -> s.state() == state ? 1 : 0)
          .description("1 for the current state of the service, 0 for the others")
          .tag("state", state.name()).register(registry);
    }
    Gauge.builder("service_ready_seconds", status,
            s -> s.readyAtMillis() < 0 ? Double.NaN : (s.readyAtMillis() - processStartMillis) / 1000.0)
        .description("From the process start to ready; NaN until ready").register(registry);
    for (PartStatus part : status.parts()) {
      try {
        part.bindTo(registry);
      } catch (RuntimeException e) { // a team's part with a broken meter: the others' meters still show
        log.warn("metrics: the meters of {} could not be bound: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
