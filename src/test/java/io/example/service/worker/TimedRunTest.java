package io.example.service.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One outcome per run, and a settled future that comes after it: a stop waiting on it finds the job counted. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
public class TimedRunTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void settled_comes_after_the_end_is_handled(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> job = Promise.promise();
    TimedRun run = new TimedRun(vertx, 1, 1000);
    run.settled().onComplete(ignored -> events.add("settled"));
    run.watch(job.future(), result -> events.add("ended"), () -> events.add("timed out"));

    vertx.setTimer(20, id -> job.complete());
    run.settled().compose(ignored -> vertx.timer(1200, TimeUnit.MILLISECONDS)) // past the timeout
        .onComplete(testContext.succeeding(ignored -> testContext.verify(() -> {
          assertEquals(List.of("ended", "settled"), events, "the timeout was cancelled");
          testContext.completeNow();
        })));
  }

  @Test
  void a_timeout_decides_and_a_later_end_is_ignored(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> job = Promise.promise();
    TimedRun run = new TimedRun(vertx, 1, 50);
    run.settled().onComplete(ignored -> events.add("settled"));
    run.watch(job.future(), result -> events.add("ended"), () -> events.add("timed out"));

    run.settled()
        .compose(ignored -> {
          job.complete();
          return vertx.timer(50, TimeUnit.MILLISECONDS);
        })
        .onComplete(testContext.succeeding(ignored -> testContext.verify(() -> {
          assertEquals(List.of("timed out", "settled"), events);
          testContext.completeNow();
        })));
  }

  @Test
  void a_job_that_has_already_ended_is_handled_at_once_and_zero_means_no_timeout(Vertx vertx) {
    TimedRun run = new TimedRun(vertx, 1, 0);
    run.watch(Future.failedFuture("failed at once"), result -> events.add("ended " + result.succeeded()),
        () -> events.add("timed out"));

    assertEquals(List.of("ended false"), events);
    assertTrue(run.settled().isComplete());
  }
}
