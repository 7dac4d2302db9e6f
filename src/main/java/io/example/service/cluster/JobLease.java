package io.example.service.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;

/**
 * The right to run the jobs, for a member of a cluster: at most one member holds it at a time. The
 * worker asks for it, checks the fence before each job ({@link #quorum()}), and gives it back after its
 * last job. Futures complete on the given context, the worker's.
 */
public interface JobLease {

  /**
   * @param token grows by one with every grant, cluster-wide: hand it to an external side effect that
   *              must be strictly once, so that it can refuse a lower token than one it has seen
   * @param lastRunAtMs when a job last started on any member (epoch ms), 0 if never
   * @param handedOver the previous holder gave the lease back after its last job (or there was none);
   *                   false when it crashed, froze or was cut off, and may still be running somewhere
   */
  record Grant(long token, long lastRunAtMs, boolean handedOver) {}

  /** Completes once this member holds the lease; a standby waits here. Fails once the lease is closed. */
  Future<Grant> acquire(Context context);

  /** Whether this member's own view of the cluster has a majority of the expected members. */
  boolean quorum();

  /** This member's view, for the log: "2 of 3 expected members". */
  String view();

  /** Records, cluster-wide, when a job starts: a new holder keeps at most one job per interval. */
  void recordRun(long startedAtMs);

  /** Gives the lease back, if this member holds it; completes once it is released (or cannot be). */
  Future<Void> release(Context context);

  /** Stops waiting for the lease: a pending {@link #acquire} fails, and no new one is made. */
  void close();
}
