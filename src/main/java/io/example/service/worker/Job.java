package io.example.service.worker;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/** One unit of background work. It completes its Future when done and never blocks the event loop. */
@FunctionalInterface
public interface Job {

  Future<?> run(Vertx vertx);

  /** Stands in for real work: finishes after {@code jobMs}, on a timer. */
  static Job simulated(long jobMs) {
    return vertx -> jobMs == 0 ? Future.succeededFuture() : vertx.timer(jobMs, TimeUnit.MILLISECONDS);
  }
}
