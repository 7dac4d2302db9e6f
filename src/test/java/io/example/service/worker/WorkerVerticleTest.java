package io.example.service.worker;

import io.example.service.StatusReads;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.TestSupervision;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job loop: counting, no overlap, failures that do not stop it, a stop that lets the job finish. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class WorkerVerticleTest {

  private static final String FAST = "{\"worker\":{\"intervalMs\":20,\"jobMs\":10}}";

  private final ServiceStatus status = new ServiceStatus();
  private final AtomicInteger jobsStarted = new AtomicInteger();

  @Test
  void each_job_is_counted_as_it_completes(Vertx vertx, VertxTestContext testContext) {
    Checkpoint jobRan = testContext.checkpoint(3);
    Job job = v -> {
      int number = jobsStarted.incrementAndGet();
      if (number <= 3) {
        testContext.verify(() -> {
          assertTrue(StatusReads.jobRunning(status), "status says a job is running");
          assertEquals(number - 1, StatusReads.jobsCompleted(status), "every earlier job was counted");
          assertEquals(0, StatusReads.jobsFailed(status));
        });
        jobRan.flag();
      }
      return Future.succeededFuture();
    };

    deploy(vertx, worker(FAST, job, testContext::failNow)).onComplete(testContext.succeeding(id -> { }));
  }

  @Test
  void jobs_never_overlap_even_when_a_job_outlasts_the_interval(Vertx vertx, VertxTestContext testContext) {
    AtomicInteger running = new AtomicInteger();
    Checkpoint jobRan = testContext.checkpoint(4);
    Job slowJob = v -> {
      int number = jobsStarted.incrementAndGet();
      int concurrent = running.incrementAndGet();
      if (number <= 4) {
        testContext.verify(() -> assertEquals(1, concurrent, "job #" + number + " overlaps another"));
        jobRan.flag();
      }
      // Four times the interval: a ticker would start the next job while this one runs.
      return v.timer(40, TimeUnit.MILLISECONDS).andThen(done -> running.decrementAndGet());
    };

    deploy(vertx, worker("{\"worker\":{\"intervalMs\":10,\"jobMs\":0}}", slowJob, testContext::failNow))
        .onComplete(testContext.succeeding(id -> { }));
  }

  @Test
  void throwing_and_failing_jobs_are_counted_and_the_worker_goes_on(Vertx vertx, VertxTestContext testContext) {
    Checkpoint fourthJob = testContext.checkpoint();
    Job job = v -> {
      int number = jobsStarted.incrementAndGet();
      switch (number) {
        case 1:
          throw new IllegalStateException("job threw");
        case 2:
          return Future.failedFuture("job failed");
        case 4:
          testContext.verify(() -> {
            assertEquals(2, StatusReads.jobsFailed(status), "the throwing and the failing job");
            assertEquals(1, StatusReads.jobsCompleted(status));
          });
          fourthJob.flag();
          return Future.succeededFuture();
        default:
          return Future.succeededFuture();
      }
    };

    deploy(vertx, worker(FAST, job, testContext::failNow)).onComplete(testContext.succeeding(id -> { }));
  }

  @Test
  void undeploy_waits_for_the_running_job_and_starts_no_new_one(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> firstJobStarted = Promise.promise();
    AtomicBoolean firstJobDone = new AtomicBoolean();
    Checkpoint undeployed = testContext.checkpoint();
    Job slowJob = v -> {
      if (jobsStarted.incrementAndGet() == 1) {
        firstJobStarted.complete();
      }
      return v.timer(200, TimeUnit.MILLISECONDS).andThen(done -> firstJobDone.set(true));
    };

    deploy(vertx, worker(FAST, slowJob, testContext::failNow))
        .compose(worker -> firstJobStarted.future().compose(started -> stop(worker)))
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertTrue(firstJobDone.get(), "the running job finished before the worker stopped");
          assertEquals(1, StatusReads.jobsCompleted(status));
          assertFalse(StatusReads.jobRunning(status));
          assertEquals(1, jobsStarted.get(), "no job starts once the stop has begun");
          assertTrue(vertx.deploymentIDs().isEmpty());
          undeployed.flag();
        })));
  }

  @Test
  void undeploy_while_idle_cancels_the_next_job(Vertx vertx, VertxTestContext testContext) {
    Checkpoint quiet = testContext.checkpoint();
    Job job = v -> {
      jobsStarted.incrementAndGet();
      return Future.succeededFuture();
    };

    deploy(vertx, worker("{\"worker\":{\"intervalMs\":50,\"jobMs\":0}}", job, testContext::failNow))
        .compose(this::stop)
        .compose(done -> vertx.timer(150, TimeUnit.MILLISECONDS)) // three intervals
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(0, jobsStarted.get(), "the first job was due after the stop");
          quiet.flag();
        })));
  }

  @Test
  void undeploy_completes_when_the_running_job_fails(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> jobStarted = Promise.promise();
    Checkpoint undeployed = testContext.checkpoint();
    Job failingJob = v -> {
      jobsStarted.incrementAndGet();
      jobStarted.tryComplete();
      return v.timer(100, TimeUnit.MILLISECONDS).compose(done -> Future.failedFuture("failed while stopping"));
    };

    deploy(vertx, worker(FAST, failingJob, testContext::failNow))
        .compose(worker -> jobStarted.future().compose(started -> stop(worker)))
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(1, StatusReads.jobsFailed(status));
          assertEquals(1, jobsStarted.get());
          undeployed.flag();
        })));
  }

  @Test
  void simulated_crash_after_n_jobs_is_reported_once(Vertx vertx, VertxTestContext testContext) {
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Checkpoint reported = testContext.checkpoint();
    Job job = v -> {
      jobsStarted.incrementAndGet();
      return Future.succeededFuture();
    };
    String conf = "{\"worker\":{\"intervalMs\":10,\"jobMs\":0},\"simulate\":{\"workerFailAfterJobs\":2}}";
    Worker worker = worker(conf, job, cause -> {
      failures.add(cause);
      if (failures.size() == 1) {
        // Give a second report, or a third job, time to show up: ten intervals.
        vertx.timer(100, TimeUnit.MILLISECONDS).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(1, failures.size(), "reported once");
          assertTrue(failures.get(0).getMessage().contains("workerFailAfterJobs"), failures.get(0).getMessage());
          assertEquals(2, jobsStarted.get(), "no job after the crash");
          assertEquals(2, StatusReads.jobsCompleted(status));
          reported.flag();
        })));
      }
    });

    deploy(vertx, worker).onComplete(testContext.succeeding(id -> { }));
  }

  /**
   * A job that never ends fails the worker at its timeout, once; the stop does not wait for it again, and its
   * late end changes nothing: no count, no second failure, no new job.
   */
  @Test
  void a_hung_job_fails_the_worker_at_its_timeout_and_its_late_end_changes_nothing(Vertx vertx,
                                                                                  VertxTestContext testContext) {
    Promise<Void> hung = Promise.promise();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Promise<Void> failed = Promise.promise();
    long[] startedAt = new long[1];
    Job job = v -> {
      jobsStarted.incrementAndGet();
      startedAt[0] = System.nanoTime();
      return hung.future();
    };
    String conf = "{\"worker\":{\"intervalMs\":10,\"jobMs\":0,\"jobTimeoutMs\":150}}";
    Worker worker = worker(conf, job, cause -> {
      failures.add(cause);
      failed.tryComplete();
    });

    deploy(vertx, worker)
        .compose(deployed -> failed.future())
        .andThen(ignored -> testContext.verify(() -> {
          long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt[0]);
          assertTrue(afterMs >= 150 && afterMs < 1000, "failed " + afterMs + " ms after the job started");
          String message = failures.get(0).getMessage();
          assertTrue(message.contains("job #1") && message.contains("150 ms") && message.contains("worker.jobTimeoutMs"),
              message);
          assertEquals("timeout", StatusReads.lastJobOutcome(status));
          assertEquals(1, jobsTimedOut(worker));
          assertFalse(StatusReads.jobRunning(status));
        }))
        // The stop plan's step must not wait for the hung job: it completes while the job still hangs.
        .compose(ignored -> stop(worker))
        .andThen(ignored -> testContext.verify(() -> assertFalse(hung.future().isComplete())))
        .compose(ignored -> {
          hung.complete();
          return vertx.timer(100, TimeUnit.MILLISECONDS); // ten intervals for a count or a new job to show up
        })
        .onComplete(testContext.succeeding(ignored -> testContext.verify(() -> {
          assertEquals(1, failures.size(), "reported once");
          assertEquals(1, jobsStarted.get(), "no job after the timeout");
          assertEquals(0, StatusReads.jobsCompleted(status), "the late end is not counted");
          assertEquals(0, StatusReads.jobsFailed(status));
          assertEquals(1, jobsTimedOut(worker));
          assertEquals("timeout", StatusReads.lastJobOutcome(status));
          testContext.completeNow();
        })));
  }

  /** A stop that waits for a job which then hangs goes on at the job's timeout, well before the stop's deadline. */
  @Test
  void a_stop_waiting_for_a_hung_job_goes_on_at_its_timeout(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> jobStarted = Promise.promise();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Job hangs = v -> {
      jobsStarted.incrementAndGet();
      jobStarted.tryComplete();
      return Promise.promise().future();
    };
    Worker worker = worker("{\"worker\":{\"intervalMs\":10,\"jobMs\":0,\"jobTimeoutMs\":300}}", hangs, failures::add);
    long[] stopBegan = new long[1];

    deploy(vertx, worker)
        .compose(deployed -> jobStarted.future())
        .compose(started -> {
          stopBegan[0] = System.nanoTime();
          return stop(worker); // its deadline is 5 s
        })
        .onComplete(testContext.succeeding(stopped -> testContext.verify(() -> {
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopBegan[0]);
          assertTrue(tookMs < 1500, "the stop went on at the job's timeout: " + tookMs + " ms");
          assertEquals(1, failures.size(), "the timeout is still reported (the supervisor logs it as a later failure)");
          assertEquals(1, jobsTimedOut(worker));
          testContext.completeNow();
        })));
  }

  /** The timeout is per job: jobs that each end in time go on, however long they run in total. */
  @Test
  void jobs_that_end_within_their_timeout_go_on(Vertx vertx, VertxTestContext testContext) {
    Checkpoint sixJobs = testContext.checkpoint();
    Job job = v -> {
      if (jobsStarted.incrementAndGet() == 6) {
        testContext.verify(() -> {
          assertEquals(5, StatusReads.jobsCompleted(status));
          assertEquals("ok", StatusReads.lastJobOutcome(status));
        });
        sixJobs.flag();
      }
      return v.timer(40, TimeUnit.MILLISECONDS);
    };
    String conf = "{\"worker\":{\"intervalMs\":10,\"jobMs\":0,\"jobTimeoutMs\":80}}";

    deploy(vertx, worker(conf, job, testContext::failNow)).onComplete(testContext.succeeding(id -> { }));
  }

  @Test
  void a_job_timeout_of_zero_waits_for_the_job(Vertx vertx, VertxTestContext testContext) {
    Checkpoint secondJob = testContext.checkpoint();
    Job job = v -> {
      if (jobsStarted.incrementAndGet() == 2) {
        testContext.verify(() -> assertEquals(1, StatusReads.jobsCompleted(status)));
        secondJob.flag();
      }
      return v.timer(300, TimeUnit.MILLISECONDS);
    };
    String conf = "{\"worker\":{\"intervalMs\":10,\"jobMs\":0,\"jobTimeoutMs\":0}}";

    deploy(vertx, worker(conf, job, testContext::failNow)).onComplete(testContext.succeeding(id -> { }));
  }

  @Test
  void simulated_start_failure_fails_the_deploy(Vertx vertx, VertxTestContext testContext) {
    Checkpoint failed = testContext.checkpoint();
    String conf = "{\"worker\":{\"intervalMs\":10,\"jobMs\":0},\"simulate\":{\"workerStartFailure\":true}}";
    Job job = v -> {
      jobsStarted.incrementAndGet();
      return Future.succeededFuture();
    };

    deploy(vertx, worker(conf, job, testContext::failNow))
        .onComplete(testContext.failing(cause -> testContext.verify(() -> {
          assertTrue(cause.getMessage().contains("workerStartFailure"), cause.getMessage());
          assertTrue(vertx.deploymentIDs().isEmpty());
          assertEquals(0, jobsStarted.get());
          failed.flag();
        })));
  }

  /** A worker component with a stand-in supervisor that passes its failures to {@code onFailure}. */
  private record Worker(WorkerComponent component, TestSupervision supervision) { }

  private Worker worker(String conf, Job job, Consumer<Throwable> onFailure) {
    ServiceConfig config = ConfigLoader.load(conf, Map.of());
    WorkerComponent component = new WorkerComponent(config, job);
    status.add(component.state());
    return new Worker(component, new TestSupervision(onFailure));
  }

  /** Jobs given up at their timeout, as the {@code outcome="timeout"} counter reads them. */
  private static long jobsTimedOut(Worker worker) {
    MeterRegistry registry = new SimpleMeterRegistry();
    worker.component().state().bindTo(registry);
    return (long) registry.get("service_worker_jobs").tag("outcome", "timeout").functionCounter().count();
  }

  /** Starts the worker and, as the supervisor does once the whole service is ready, begins its jobs. */
  private static Future<Worker> deploy(Vertx vertx, Worker worker) {
    return worker.component().start(vertx, worker.supervision())
        .onSuccess(started -> worker.component().ready())
        .map(worker);
  }

  /** What the stop plan does with the worker: its step (the running job finishes), then its undeploy. */
  private Future<Void> stop(Worker worker) {
    return worker.component().drain(Deadline.in(5000)).compose(done -> worker.component().undeploy());
  }
}
