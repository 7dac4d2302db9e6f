package io.example.service.metrics;

import io.example.service.http.Rejections;
import io.example.service.lifecycle.ServiceStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The service's own meters. Each one reads a value that {@link ServiceStatus} or {@link Rejections} keeps
 * anyway, when it is scraped: nothing is recorded on the request path or per job. Micrometer adds the
 * Prometheus suffixes: a counter named {@code service_worker_jobs} is scraped as {@code service_worker_jobs_total},
 * and a timer gets {@code _seconds}.
 */
final class ServiceMeters {

  private ServiceMeters() {}

  /** @param processStartMillis when the JVM started (epoch milliseconds) */
  static void bind(MeterRegistry registry, ServiceStatus status, Rejections rejections, long processStartMillis) {
    for (ServiceStatus.State state : ServiceStatus.State.values()) {
      Gauge.builder("service_state", status, s -> s.state() == state ? 1 : 0)
          .description("1 for the current state of the service, 0 for the others")
          .tag("state", state.name()).register(registry);
    }
    Gauge.builder("service_ready_seconds", status,
            s -> s.readyAtMillis() < 0 ? Double.NaN : (s.readyAtMillis() - processStartMillis) / 1000.0)
        .description("From the process start to ready; NaN until ready").register(registry);
    bindWorker(registry, status);
    for (Rejections.Reason reason : Rejections.Reason.values()) {
      FunctionCounter.builder("service_http_rejected", rejections, r -> r.total(reason))
          .description("Requests refused for a limit or as malformed")
          .tag("reason", reason.label()).register(registry);
    }
  }

  private static void bindWorker(MeterRegistry registry, ServiceStatus status) {
    FunctionCounter.builder("service_worker_jobs", status, ServiceStatus::jobsCompleted)
        .description("Jobs finished").tag("outcome", "ok").register(registry);
    FunctionCounter.builder("service_worker_jobs", status, ServiceStatus::jobsFailed)
        .description("Jobs finished").tag("outcome", "failed").register(registry);
    // A job given up at worker.jobTimeoutMs: its own outcome, so that "failed" keeps meaning a job that ended in error.
    FunctionCounter.builder("service_worker_jobs", status, ServiceStatus::jobsTimedOut)
        .description("Jobs finished").tag("outcome", "timeout").register(registry);
    FunctionTimer.builder("service_worker_job_duration", status,
            ServiceStatus::jobsEnded, ServiceStatus::jobNanosTotal, TimeUnit.NANOSECONDS)
        .description("How long jobs take, ok, failed or timed out (until the timeout)").register(registry);
    Gauge.builder("service_worker_last_success_timestamp_seconds", status,
            s -> s.lastJobSucceededAtMillis() < 0 ? Double.NaN : s.lastJobSucceededAtMillis() / 1000.0)
        .description("When the last job succeeded (Unix time); NaN before the first").register(registry);
    Gauge.builder("service_worker_active", status, s -> s.workerActive() ? 1 : 0)
        .description("1 where this process runs the jobs").register(registry);
  }
}
