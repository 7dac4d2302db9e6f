package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Whether this process runs the jobs. Alone, it always does; in a cluster, only while it holds the
 * lease and passes the fence before each job. Called on the worker's event loop, except
 * {@link #active()}, which {@code /status} reads from anywhere.
 */
public interface ActiveRole {

  /** What the role drives in the worker. */
  interface Jobs {
    /** This member may run jobs: the first one starts in {@code firstDelayMs}. */
    void begin(long firstDelayMs);

    /** This member must stop running jobs: no new one starts; completes when the running one has finished. */
    Future<Void> halt();
  }

  /** Begins to run the jobs now, alone, or once this member holds the lease. */
  void campaign(Vertx vertx, Jobs jobs);

  /** Just before each job: false when this member must not run it (it has just stepped down). */
  boolean mayRun();

  /** A job starts now. */
  void jobStarting(long startedAtMs);

  boolean active();

  /** The fencing token of the lease this member holds; 0 when not clustered. */
  long fencingToken();

  /** After the last job of this process: lets another member take over. */
  Future<Void> handOver();

  static ActiveRole alone(long intervalMs) {
    return new ActiveRole() {
      @Override
      public void campaign(Vertx vertx, Jobs jobs) {
        jobs.begin(intervalMs);
      }

      @Override
      public boolean mayRun() {
        return true;
      }

      @Override
      public void jobStarting(long startedAtMs) {
      }

      @Override
      public boolean active() {
        return true;
      }

      @Override
      public long fencingToken() {
        return 0;
      }

      @Override
      public Future<Void> handOver() {
        return Future.succeededFuture();
      }
    };
  }
}
