package io.example.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The worker's own account of its jobs: the {@code worker} section of /status and the job meters. */
public class WorkerStateTest {

  private final AtomicBoolean active = new AtomicBoolean(true);
  private final WorkerState state = new WorkerState(active::get);
  private final MeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void the_section_has_every_field_with_null_last_job_before_the_first() {
    state.jobStarted();
    JsonObject worker = section();

    assertEquals(true, worker.getBoolean("active"));
    assertEquals(0L, worker.getLong("jobsCompleted"));
    assertEquals(0L, worker.getLong("jobsFailed"));
    assertTrue(worker.getBoolean("jobRunning"));
    assertTrue(worker.containsKey("lastJobFinishedAt"), "the key is there, with null");
    assertNull(worker.getValue("lastJobFinishedAt"));
    assertNull(worker.getValue("lastJobOutcome"));
  }

  @Test
  void the_section_counts_each_outcome_and_names_the_last() {
    state.jobStarted();
    state.jobFinished(true, 1);
    state.jobStarted();
    state.jobFinished(false, 1);
    Instant after = Instant.now();
    active.set(false);
    JsonObject worker = section();

    assertEquals(1L, worker.getLong("jobsCompleted"));
    assertEquals(1L, worker.getLong("jobsFailed"));
    assertEquals("failed", worker.getString("lastJobOutcome"));
    assertFalse(worker.getBoolean("jobRunning"));
    assertFalse(Instant.parse(worker.getString("lastJobFinishedAt")).isAfter(after));
    assertFalse(worker.getBoolean("active"), "read when asked: in a cluster it changes with the lease");
  }

  @Test
  void a_job_given_up_at_its_timeout_counts_as_timeout_and_in_the_durations_only() {
    state.bindTo(registry);
    state.jobFinished(true, TimeUnit.MILLISECONDS.toNanos(10));
    state.jobFinished(false, TimeUnit.MILLISECONDS.toNanos(20));
    state.jobTimedOut(TimeUnit.MILLISECONDS.toNanos(1000));

    assertEquals(1.0, jobs("ok"));
    assertEquals(1.0, jobs("failed"), "failed keeps its meaning: a job that ended in error");
    assertEquals(1.0, jobs("timeout"));
    FunctionTimer durations = registry.get("service_worker_job_duration").functionTimer();
    assertEquals(3.0, durations.count());
    assertEquals(1030.0, durations.totalTime(TimeUnit.MILLISECONDS), 0.001);
    assertEquals("timeout", section().getString("lastJobOutcome"));
    assertEquals(1.0, registry.get("service_worker_active").gauge().value());
  }

  private JsonObject section() {
    JsonObject report = new JsonObject();
    state.addTo(report);
    return report.getJsonObject("worker");
  }

  private double jobs(String outcome) {
    return registry.get("service_worker_jobs").tag("outcome", outcome).functionCounter().count();
  }
}
