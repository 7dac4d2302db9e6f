package io.example.service.worker;

import io.example.service.lifecycle.PartStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The worker's own account of its jobs: written by the {@link WorkerVerticle} as each job starts and ends, read
 * by {@code /status} (the {@code worker} section) and by the {@code service_worker_*} meters. Nothing is
 * recorded per job beyond these counters; the meters read them when scraped.
 */
final class WorkerState implements PartStatus {

  private final BooleanSupplier active;
  private final AtomicLong jobsCompleted = new AtomicLong();
  private final AtomicLong jobsFailed = new AtomicLong();
  private final AtomicLong jobsTimedOut = new AtomicLong();
  private final AtomicLong jobNanosTotal = new AtomicLong(); // every finished job's duration, summed
  private volatile JobOutcome lastJobOutcome;
  private volatile boolean jobRunning;
  private volatile Instant lastJobFinishedAt;
  private volatile long lastJobSucceededAtMillis = -1;

  /** @param active whether this process runs the jobs: always when alone, in a cluster while it holds the lease */
  WorkerState(BooleanSupplier active) {
    this.active = active;
  }

  void jobStarted() {
    jobRunning = true;
  }

  /** @param tookNanos how long the job ran; summed for the job duration meter */
  void jobFinished(boolean succeeded, long tookNanos) {
    jobEnded(succeeded ? JobOutcome.OK : JobOutcome.FAILED, tookNanos);
  }

  /** The running job was given up at its timeout; whatever it does later is not counted. */
  void jobTimedOut(long tookNanos) {
    jobEnded(JobOutcome.TIMEOUT, tookNanos);
  }

  private void jobEnded(JobOutcome outcome, long tookNanos) {
    // The duration first: a reader that sees the new count then sees a sum that includes this job.
    jobNanosTotal.addAndGet(tookNanos);
    Instant now = Instant.now();
    if (outcome == JobOutcome.OK) {
      lastJobSucceededAtMillis = now.toEpochMilli();
    }
    ended(outcome).incrementAndGet();
    lastJobOutcome = outcome;
    lastJobFinishedAt = now;
    jobRunning = false;
  }

  long jobsCompleted() {
    return jobsCompleted.get();
  }

  long jobsFailed() {
    return jobsFailed.get();
  }

  /** Every job that has ended, whatever its outcome. */
  private long jobsEnded() {
    return jobsCompleted.get() + jobsFailed.get() + jobsTimedOut.get();
  }

  @Override
  public void addTo(JsonObject report) {
    Instant last = lastJobFinishedAt;
    JobOutcome outcome = lastJobOutcome;
    report.put("worker", new JsonObject()
        .put("active", active.getAsBoolean())
        .put("jobsCompleted", jobsCompleted())
        .put("jobsFailed", jobsFailed())
        .put("jobRunning", jobRunning)
        .put("lastJobFinishedAt", last == null ? null : last.toString())
        .put("lastJobOutcome", outcome == null ? null : outcome.label()));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (JobOutcome outcome : JobOutcome.values()) {
      // A job given up at worker.jobTimeoutMs has its own outcome, so that "failed" keeps meaning one that ended
      // in error.
      FunctionCounter.builder("service_worker_jobs", this, state -> state.ended(outcome).get())
          .description("Jobs finished").tag("outcome", outcome.label()).register(registry);
    }
    FunctionTimer.builder("service_worker_job_duration", this,
            WorkerState::jobsEnded, state -> state.jobNanosTotal.get(), TimeUnit.NANOSECONDS)
        .description("How long jobs take, ok, failed or timed out (until the timeout)").register(registry);
    Gauge.builder("service_worker_last_success_timestamp_seconds", this,
            state -> state.lastJobSucceededAtMillis < 0 ? Double.NaN : state.lastJobSucceededAtMillis / 1000.0)
        .description("When the last job succeeded (Unix time); NaN before the first").register(registry);
    Gauge.builder("service_worker_active", this, state -> state.active.getAsBoolean() ? 1 : 0)
        .description("1 where this process runs the jobs").register(registry);
  }

  private AtomicLong ended(JobOutcome outcome) {
    return switch (outcome) {
      case OK -> jobsCompleted;
      case FAILED -> jobsFailed;
      case TIMEOUT -> jobsTimedOut;
    };
  }
}
