package io.example.service.worker;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's run against its timeout (0 = none). Whichever comes first decides it, the job's end or the
 * timeout, and only that one's handler runs: a job given up at its timeout that ends after all changes
 * nothing, and says so in one line. {@link #settled()} completes once the deciding handler has run, so a stop
 * that waits for it finds the job already counted; it never fails.
 */
final class TimedRun {

  private static final Logger log = LoggerFactory.getLogger(TimedRun.class);

  private final Vertx vertx;
  private final long number;
  private final long timeoutMs;
  private final Promise<Void> decided = Promise.promise();
  private final Promise<Void> settled = Promise.promise();

  TimedRun(Vertx vertx, long number, long timeoutMs) {
    this.vertx = vertx;
    this.number = number;
    this.timeoutMs = timeoutMs;
  }

  Future<Void> settled() {
    return settled.future();
  }

  /** Starts the clock and waits for {@code job}; call it once, after {@link #settled()} has been stored. */
  void watch(Future<?> job, Handler<AsyncResult<?>> ended, Runnable timedOut) {
    long timer = timeoutMs == 0 ? -1 : vertx.setTimer(timeoutMs, id -> decide(timedOut));
    job.onComplete(result -> {
      if (!decide(() -> ended.handle(result))) {
        log.info("background job #{} ended after it was given up; not counted", number);
      } else if (timer != -1) {
        vertx.cancelTimer(timer);
      }
    });
  }

  /** Runs {@code handler} if this is the first outcome; true if it was. */
  private boolean decide(Runnable handler) {
    if (!decided.tryComplete()) {
      return false;
    }
    try {
      handler.run();
    } finally {
      settled.complete();
    }
    return true;
  }
}
