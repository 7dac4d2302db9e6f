package io.example.service.cluster;

import io.example.service.StatusReads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.TestSupervision;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerComponent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The worker in a cluster, with a lease the test hands out: standby, active, fenced step-down, hand-over. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class ClusterRoleTest {

  private final ServiceStatus status = new ServiceStatus();
  private final FakeLease lease = new FakeLease();
  private final List<Long> tokens = new CopyOnWriteArrayList<>();

  @Test
  void standby_runs_no_job_until_granted_and_hands_over_after_its_last_job(Vertx vertx, VertxTestContext ctx) {
    WorkerComponent worker = worker(vertx, (v, token) -> {
      tokens.add(token);
      return Future.succeededFuture();
    });
    vertx.timer(200, TimeUnit.MILLISECONDS)
        .andThen(ignored -> ctx.verify(() -> {
          assertEquals(List.of(), tokens, "a standby runs no job");
          assertFalse(StatusReads.workerActive(status));
        }))
        .compose(ignored -> lease.grant(new JobLease.Grant(7, 0, true)))
        .compose(ignored -> vertx.timer(300, TimeUnit.MILLISECONDS))
        .andThen(ignored -> ctx.verify(() -> {
          assertTrue(StatusReads.workerActive(status));
          assertFalse(tokens.isEmpty(), "the holder runs the jobs");
          assertEquals(7L, tokens.get(0), "with the lease's fencing token");
        }))
        .compose(ignored -> worker.drain(Deadline.in(5000)))
        .onComplete(ctx.succeeding(ignored -> ctx.verify(() -> {
          assertEquals(1, lease.released.get(), "handed over once");
          assertFalse(StatusReads.workerActive(status));
          ctx.completeNow();
        })));
  }

  @Test
  void holder_that_loses_its_majority_finishes_its_job_then_releases(Vertx vertx, VertxTestContext ctx) {
    Promise<Void> running = Promise.promise();
    AtomicInteger jobs = new AtomicInteger();
    worker(vertx, (v, token) -> {
      if (jobs.incrementAndGet() > 1) {
        ctx.failNow("a job started after the step-down");
      }
      lease.quorum.set(false); // the member's view loses the majority while its job runs
      return running.future();
    });
    lease.grant(new JobLease.Grant(1, 0, true))
        .compose(ignored -> vertx.timer(600, TimeUnit.MILLISECONDS)) // past a fence check
        .andThen(ignored -> ctx.verify(() -> {
          assertFalse(StatusReads.workerActive(status), "stepped down");
          assertEquals(0, lease.released.get(), "not while its job still runs");
          running.complete();
        }))
        .compose(ignored -> vertx.timer(200, TimeUnit.MILLISECONDS))
        .onComplete(ctx.succeeding(ignored -> ctx.verify(() -> {
          assertEquals(1, lease.released.get(), "released once the job has finished");
          ctx.completeNow();
        })));
  }

  /** The lease goes at the timeout, while the service is still stopping: another member need not wait for the stop. */
  @Test
  void holder_whose_job_hangs_releases_the_lease_at_the_timeout(Vertx vertx, VertxTestContext ctx) {
    Promise<Throwable> failed = Promise.promise();
    WorkerComponent worker = worker(vertx, "{\"worker\":{\"intervalMs\":50,\"jobMs\":0,\"jobTimeoutMs\":200}}",
        failed::tryComplete, (v, token) -> Promise.promise().future());
    lease.grant(new JobLease.Grant(3, 0, true))
        .compose(ignored -> failed.future())
        .andThen(ignored -> ctx.verify(() -> {
          assertEquals(1, lease.released.get(), "released as soon as the job is given up");
          assertFalse(StatusReads.workerActive(status));
        }))
        .compose(ignored -> worker.drain(Deadline.in(5000)))
        .onComplete(ctx.succeeding(ignored -> ctx.verify(() -> {
          assertEquals(1, lease.released.get(), "released once, not again by the stop");
          ctx.completeNow();
        })));
  }

  @Test
  void takeover_without_a_hand_over_waits_the_grace_before_its_first_job(Vertx vertx, VertxTestContext ctx) {
    long[] grantedAt = new long[1];
    worker(vertx, (v, token) -> {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - grantedAt[0]);
      ctx.verify(() -> assertTrue(waitedMs >= ClusterRole.TAKEOVER_GRACE_MS, "first job after " + waitedMs + " ms"));
      ctx.completeNow();
      return Future.succeededFuture();
    });
    grantedAt[0] = System.nanoTime();
    lease.grant(new JobLease.Grant(2, System.currentTimeMillis() - 60_000, false));
  }

  private WorkerComponent worker(Vertx vertx, TokenJob job) {
    return worker(vertx, "{\"worker\":{\"intervalMs\":50,\"jobMs\":0}}", cause -> { }, job);
  }

  private WorkerComponent worker(Vertx vertx, String conf, Consumer<Throwable> onFailure, TokenJob job) {
    ServiceConfig config = ConfigLoader.load(conf, Map.of());
    WorkerComponent worker = new WorkerComponent(config, job, new ClusterRole(lease, config.worker().intervalMs()));
    status.add(worker.state());
    worker.start(vertx, new TestSupervision(onFailure)).onSuccess(started -> worker.ready());
    return worker;
  }

  /** A job that only cares about the token. */
  interface TokenJob extends Job {
    Future<?> runWith(Vertx vertx, long token);

    @Override
    default Future<?> run(Vertx vertx) {
      return runWith(vertx, 0);
    }

    @Override
    default Future<?> run(Vertx vertx, long fencingToken) {
      return runWith(vertx, fencingToken);
    }
  }

  /** The lease, handed out by the test. */
  static final class FakeLease implements JobLease {
    final AtomicBoolean quorum = new AtomicBoolean(true);
    final AtomicInteger released = new AtomicInteger();
    private final Promise<Grant> granted = Promise.promise();

    Future<Void> grant(Grant grant) {
      granted.complete(grant);
      return Future.succeededFuture();
    }

    @Override
    public Future<Grant> acquire(Context context) {
      Promise<Grant> onContext = Promise.promise();
      granted.future().onComplete(ar -> context.runOnContext(ignored -> onContext.handle(ar)));
      return onContext.future();
    }

    @Override
    public boolean quorum() {
      return quorum.get();
    }

    @Override
    public String view() {
      return quorum.get() ? "3 of 3" : "1 of 3";
    }

    @Override
    public void recordRun(long startedAtMs) {
    }

    @Override
    public Future<Void> release(Context context) {
      released.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public void close() {
    }
  }
}
