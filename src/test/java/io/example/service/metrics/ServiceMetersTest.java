package io.example.service.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.example.service.http.Rejections;
import io.example.service.lifecycle.ServiceStatus;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The job counter's outcomes and the duration timer, read from the status the worker keeps. */
public class ServiceMetersTest {

  private final ServiceStatus status = new ServiceStatus();
  private final Rejections rejections = new Rejections();
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void a_job_given_up_at_its_timeout_counts_as_timeout_and_in_the_durations_only() {
    ServiceMeters.bind(registry, status, rejections, 0);
    status.jobFinished(true, TimeUnit.MILLISECONDS.toNanos(10));
    status.jobFinished(false, TimeUnit.MILLISECONDS.toNanos(20));
    status.jobTimedOut(TimeUnit.MILLISECONDS.toNanos(1000));

    assertEquals(1.0, jobs("ok"));
    assertEquals(1.0, jobs("failed"), "failed keeps its meaning: a job that ended in error");
    assertEquals(1.0, jobs("timeout"));
    FunctionTimer durations = registry.get("service_worker_job_duration").functionTimer();
    assertEquals(3.0, durations.count());
    assertEquals(1030.0, durations.totalTime(TimeUnit.MILLISECONDS), 0.001);
  }

  @Test
  void an_unauthorized_shutdown_request_is_a_rejection_reason() {
    ServiceMeters.bind(registry, status, rejections, 0);
    rejections.count(Rejections.Reason.UNAUTHORIZED);

    assertEquals(1.0, registry.get("service_http_rejected").tag("reason", "unauthorized").functionCounter().count());
  }

  private double jobs(String outcome) {
    return registry.get("service_worker_jobs").tag("outcome", outcome).functionCounter().count();
  }
}
