package io.example.service.cluster;

import io.example.service.lifecycle.ActiveRole;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's role in a cluster: a standby waits for the {@link JobLease}; the holder runs the jobs
 * while it passes the fence, and steps down when it does not. The fence is what keeps a member that was
 * frozen (a long GC pause, SIGSTOP, a lost network) from running a job beside the member that took over
 * meanwhile: the others need at least {@value #MIN_TAKEOVER_MS} ms to remove a silent member, so a member
 * whose own timer comes more than {@value #STALL_MS} ms late, or whose view has lost the majority of the
 * expected members, may no longer be the only one and must not start a job.
 */
final class ClusterRole implements ActiveRole {

  private static final Logger log = LoggerFactory.getLogger(ClusterRole.class);
  static final long FENCE_MS = 250;
  static final long STALL_MS = 1500;
  /** Hazelcast removes a member after 3 s without heartbeat, sent every second: 2 s at the least. */
  static final long MIN_TAKEOVER_MS = 2000;
  /**
   * A new holder whose predecessor did not hand over (it crashed, froze, or is cut off by a lost network
   * and still thinks it is active) waits this long before its first job. The two sides of a split notice
   * it within about a heartbeat check (1 s) of each other, and the old holder steps down on its next
   * fence check ({@value #FENCE_MS} ms): this covers both, so they never overlap.
   */
  static final long TAKEOVER_GRACE_MS = 1250;
  /** After a step-down: long enough for this member's view of the cluster to settle first. */
  static final long SETTLE_MS = 6000;
  private static final long RELEASE_MS = 2000;

  private enum State { STANDBY, ACTIVE, STEPPING_DOWN, CLOSED }

  private final JobLease lease;
  private final long intervalMs;
  private Vertx vertx;
  private Context context;
  private Jobs jobs;
  // Written on the worker's event loop; read by /status too.
  private volatile State state = State.STANDBY;
  private volatile long lastFenceNanos;
  private long fenceTimer = -1;
  private long token;

  ClusterRole(JobLease lease, long intervalMs) {
    this.lease = lease;
    this.intervalMs = intervalMs;
  }

  @Override
  public void campaign(Vertx vertx, Jobs jobs) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.jobs = jobs;
    standBy();
  }

  @Override
  public boolean mayRun() {
    return state == State.ACTIVE && passesFence(System.nanoTime());
  }

  @Override
  public void jobStarting(long startedAtMs) {
    lease.recordRun(startedAtMs);
  }

  /** Reports the holder as inactive as soon as it is stalled, before any of its timers runs again. */
  @Override
  public boolean active() {
    return state == State.ACTIVE && System.nanoTime() - lastFenceNanos <= TimeUnit.MILLISECONDS.toNanos(STALL_MS);
  }

  @Override
  public long fencingToken() {
    return token;
  }

  @Override
  public Future<Void> handOver() {
    State was = state;
    state = State.CLOSED;
    cancelFence();
    lease.close();
    if (was != State.ACTIVE) {
      return Future.succeededFuture(); // a standby's pending wait for the lease ends with the close
    }
    return lease.release(context).timeout(RELEASE_MS, TimeUnit.MILLISECONDS)
        .onSuccess(ignored -> log.info("handed over: the job lease is released"))
        .onFailure(cause -> log.warn("lease release did not complete ({}); leaving the cluster releases it", cause.toString()))
        .otherwiseEmpty();
  }

  private void standBy() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.STANDBY;
    log.info("standing by for the job lease ({})", lease.view());
    lease.acquire(context).onComplete(ar -> {
      if (state == State.CLOSED) {
        if (ar.succeeded()) {
          lease.release(context); // granted while this process stopped: give it straight back
        }
      } else if (ar.failed()) {
        log.warn("waiting for the job lease failed ({}); trying again", ar.cause().toString());
        vertx.setTimer(SETTLE_MS, id -> standBy());
      } else {
        becomeActive(ar.result());
      }
    });
  }

  private void becomeActive(JobLease.Grant grant) {
    lastFenceNanos = System.nanoTime();
    token = grant.token();
    state = State.ACTIVE;
    log.info("this member is now active (fencing token {}, {}{})", grant.token(), lease.view(),
        grant.handedOver() ? "" : "; the last holder did not hand over, so the first job waits " + TAKEOVER_GRACE_MS + " ms");
    scheduleFence();
    // At most one job per interval across a takeover: the next one is due an interval after the last start.
    long sinceLastMs = System.currentTimeMillis() - grant.lastRunAtMs();
    long delayMs = grant.lastRunAtMs() == 0 ? intervalMs : Math.max(1, Math.min(intervalMs, intervalMs - sinceLastMs));
    jobs.begin(grant.handedOver() ? delayMs : Math.max(delayMs, TAKEOVER_GRACE_MS));
  }

  private void scheduleFence() {
    fenceTimer = vertx.setTimer(FENCE_MS, id -> {
      fenceTimer = -1;
      if (state == State.ACTIVE && passesFence(System.nanoTime())) {
        scheduleFence();
      }
    });
  }

  /** True if this member may stay active; else it steps down. */
  private boolean passesFence(long nowNanos) {
    long sinceMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - lastFenceNanos);
    if (sinceMs > STALL_MS) {
      stepDown("this member was stalled for " + sinceMs + " ms");
      return false;
    }
    if (!lease.quorum()) {
      stepDown("this member sees " + lease.view() + ", no majority");
      return false;
    }
    lastFenceNanos = nowNanos;
    return true;
  }

  private void stepDown(String why) {
    state = State.STEPPING_DOWN;
    cancelFence();
    log.warn("stepping down: {}", why);
    // The running job finishes first; only then may another member have the lease. The unlock checks the
    // owner, so it can free only this member's own lock, never one another member took meanwhile.
    jobs.halt()
        .compose(ignored -> lease.release(context).timeout(RELEASE_MS, TimeUnit.MILLISECONDS))
        .onComplete(ar -> {
          if (state == State.STEPPING_DOWN) {
            vertx.setTimer(SETTLE_MS, id -> standBy());
          }
        });
  }

  private void cancelFence() {
    if (fenceTimer != -1) {
      vertx.cancelTimer(fenceTimer);
      fenceTimer = -1;
    }
  }
}
