package io.example.service.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** One unit of background work. It completes its Future when done and never blocks the event loop. */
@FunctionalInterface
public interface Job {

  Future<?> run(Vertx vertx);

  /**
   * The same, with this member's fencing token: it grows with every change of the active member of a
   * cluster (0 when not clustered). A job whose side effect must happen strictly once passes it along, and
   * the other side refuses a token lower than the highest it has seen, which shuts out a member that
   * was frozen mid-job and resumes after another has taken over.
   */
  default Future<?> run(Vertx vertx, long fencingToken) {
    return run(vertx);
  }

  /** Stands in for real work: finishes after {@code jobMs}, on a timer. */
  static Job simulated(long jobMs) {
    return vertx -> jobMs == 0 ? Future.succeededFuture() : vertx.timer(jobMs, TimeUnit.MILLISECONDS);
  }
}
