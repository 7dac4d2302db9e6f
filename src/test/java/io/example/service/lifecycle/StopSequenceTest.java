package io.example.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The order, the sharing between instances, and the deadline of the stop sequence. */
@ExtendWith(VertxExtension.class)
public class StopSequenceTest {

  private static final List<String> ORDER = List.of("http", "worker");

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void later_component_waits_for_the_earlier_one_even_when_asked_first(Vertx vertx, VertxTestContext testContext) {
    StopSequence sequence = new StopSequence(ORDER, 5000, () -> { });
    Context context = vertx.getOrCreateContext();
    List<String> events = new CopyOnWriteArrayList<>();
    Checkpoint workerStopped = testContext.checkpoint();

    context.runOnContext(ignored -> {
      sequence.stop("worker", context, () -> {
        events.add("worker stops");
        return Future.succeededFuture();
      }).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertEquals(List.of("http asked", "http stops", "http stopped", "worker stops"), events);
        workerStopped.flag();
      })));
      // http is asked only later, and its stop takes a while: the worker must wait for all of it.
      vertx.setTimer(50, id -> {
        events.add("http asked");
        sequence.stop("http", context, () -> {
          events.add("http stops");
          return vertx.timer(50, TimeUnit.MILLISECONDS).andThen(done -> events.add("http stopped"));
        });
      });
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void instances_of_one_component_share_one_stop_action(Vertx vertx, VertxTestContext testContext) {
    StopSequence sequence = new StopSequence(ORDER, 5000, () -> { });
    Context context = vertx.getOrCreateContext();
    AtomicInteger runs = new AtomicInteger();
    Promise<Void> release = Promise.promise();
    Checkpoint instanceStopped = testContext.checkpoint(3);

    context.runOnContext(ignored -> {
      for (int instance = 0; instance < 3; instance++) {
        sequence.stop("http", context, () -> {
          runs.incrementAndGet();
          return release.future();
        }).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertTrue(release.future().isComplete(), "no instance is stopped before the shared action ends");
          assertEquals(1, runs.get());
          instanceStopped.flag();
        })));
      }
      vertx.setTimer(30, id -> release.complete());
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void action_still_running_at_the_deadline_is_cut_off_and_named_busy(Vertx vertx, VertxTestContext testContext) {
    long timeoutMs = 300;
    StopSequence sequence = new StopSequence(ORDER, timeoutMs, () -> { });
    Context context = vertx.getOrCreateContext();
    AtomicInteger workerRuns = new AtomicInteger();
    Checkpoint httpReleased = testContext.checkpoint();
    Checkpoint workerReleased = testContext.checkpoint();
    long began = System.nanoTime();

    context.runOnContext(ignored -> {
      Future<Void> http = sequence.stop("http", context, () -> Promise.promise().future()); // never ends
      Future<Void> worker = sequence.stop("worker", context, () -> {
        workerRuns.incrementAndGet();
        return Future.succeededFuture();
      });
      testContext.verify(() -> assertEquals("http", sequence.busy(), "busy while stopping"));
      http.onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertTrue(elapsedMs(began) >= timeoutMs - 50, "released only at the deadline: " + elapsedMs(began));
        assertEquals("http", sequence.busy(), "cut off");
        httpReleased.flag();
      })));
      worker.onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertEquals(1, workerRuns.get(), "the worker still gets its turn after the deadline");
        assertEquals("http", sequence.busy(), "only the hung component is named");
        workerReleased.flag();
      })));
    });
  }

  @Test
  @Timeout(value = 5, timeUnit = TimeUnit.SECONDS)
  void skip_releases_the_components_after_it(Vertx vertx, VertxTestContext testContext) {
    // A deadline far beyond the test's timeout: only skip() can let the worker go.
    StopSequence sequence = new StopSequence(ORDER, 60_000, () -> { });
    Context context = vertx.getOrCreateContext();
    AtomicInteger workerRuns = new AtomicInteger();
    Checkpoint allStopped = testContext.checkpoint();

    context.runOnContext(ignored -> {
      Future<Void> worker = sequence.stop("worker", context, () -> {
        workerRuns.incrementAndGet();
        return Future.succeededFuture();
      });
      sequence.skip("http");
      worker.compose(done -> sequence.finished(context))
          .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
            assertEquals(1, workerRuns.get());
            assertEquals("", sequence.busy());
            allStopped.flag();
          })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void failing_or_throwing_actions_still_count_as_stopped(Vertx vertx, VertxTestContext testContext) {
    StopSequence sequence = new StopSequence(ORDER, 5000, () -> { });
    Context context = vertx.getOrCreateContext();
    Checkpoint allStopped = testContext.checkpoint();

    context.runOnContext(ignored -> {
      sequence.stop("http", context, () -> {
        throw new IllegalStateException("boom");
      });
      sequence.stop("worker", context, () -> Future.failedFuture("bad stop"));
      sequence.finished(context).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertEquals("", sequence.busy(), "a failed stop is not a cut-off one");
        allStopped.flag();
      })));
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void finished_waits_for_every_component(Vertx vertx, VertxTestContext testContext) {
    StopSequence sequence = new StopSequence(ORDER, 5000, () -> { });
    Context context = vertx.getOrCreateContext();
    Promise<Void> workerStop = Promise.promise();
    Checkpoint finished = testContext.checkpoint();

    context.runOnContext(ignored -> {
      sequence.stop("http", context, Future::succeededFuture);
      sequence.stop("worker", context, workerStop::future);
      sequence.finished(context).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertTrue(workerStop.future().isComplete(), "not finished while the worker still stops");
        finished.flag();
      })));
      vertx.setTimer(30, id -> workerStop.complete());
    });
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void begin_runs_on_begin_once_and_starts_the_deadline_clock(Vertx vertx, VertxTestContext testContext) {
    AtomicInteger begins = new AtomicInteger();
    StopSequence sequence = new StopSequence(ORDER, 5000, begins::incrementAndGet);
    Context context = vertx.getOrCreateContext();
    Checkpoint stopped = testContext.checkpoint();

    assertFalse(sequence.begun());
    assertEquals(5000, sequence.remainingMs(), "the whole timeout is left before the stop begins");
    assertEquals(0, begins.get());

    context.runOnContext(ignored -> {
      sequence.stop("http", context, Future::succeededFuture);
      sequence.stop("worker", context, Future::succeededFuture)
          .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
            sequence.begin();
            assertTrue(sequence.begun());
            assertEquals(1, begins.get(), "onBegin runs once, whoever begins");
            assertTrue(sequence.remainingMs() <= 5000);
            stopped.flag();
          })));
    });
  }

  private static long elapsedMs(long sinceNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
  }
}
