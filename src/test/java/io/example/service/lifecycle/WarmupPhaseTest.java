package io.example.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The warm-up between the start and READY: its place in the start, its bounds, and a stop during it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class WarmupPhaseTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ServiceStatus status = new ServiceStatus();

  private Supervisor supervisor(long startupTimeoutMs, long warmupMs, FakeComponent... components) {
    return new Supervisor(List.of(components), status, startupTimeoutMs, warmupMs, 2000);
  }

  @Test
  void warm_up_comes_after_every_start_and_before_ready(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> slow = Promise.promise();
    FakeComponent http = new FakeComponent("http", events).warmsUpWith((budgetMs, interrupted) -> {
      events.add("readiness " + status.state());
      return Future.succeededFuture();
    });
    Supervisor supervisor = supervisor(5000, 800, new FakeComponent("worker", events).startsWith(slow.future()), http);

    Future<Void> started = supervisor.start(vertx);
    slow.complete();
    started.onComplete(testContext.succeeding(ready -> testContext.verify(() -> {
      assertEquals(List.of("worker start", "http start", "worker warm-up", "http warm-up", "readiness STARTING"), events);
      assertEquals(ServiceStatus.State.READY, status.state());
      testContext.completeNow();
    })));
  }

  @Test
  void no_warm_up_when_it_is_off(Vertx vertx, VertxTestContext testContext) {
    Supervisor supervisor = supervisor(5000, 0, new FakeComponent("http", events));

    supervisor.start(vertx).onComplete(testContext.succeeding(ready -> testContext.verify(() -> {
      assertEquals(List.of("http start"), events);
      assertEquals(ServiceStatus.State.READY, status.state());
      testContext.completeNow();
    })));
  }

  @Test
  void startup_timeout_cuts_the_budget(Vertx vertx, VertxTestContext testContext) {
    AtomicLong given = new AtomicLong();
    FakeComponent http = new FakeComponent("http", events).warmsUpWith((budgetMs, interrupted) -> {
      given.set(budgetMs);
      return Future.succeededFuture();
    });

    supervisor(400, 5000, http).start(vertx).onComplete(testContext.succeeding(ready -> testContext.verify(() -> {
      assertTrue(given.get() > 0 && given.get() <= 400, "budget " + given.get());
      testContext.completeNow();
    })));
  }

  /** A warm-up that overruns its budget, or fails, does not hold or fail the start: it is an optimisation. */
  @Test
  void warm_up_that_overruns_or_fails_still_ends_ready(Vertx vertx, VertxTestContext testContext) {
    long began = System.nanoTime();
    FakeComponent stuck = new FakeComponent("stuck", events)
        .warmsUpWith((budgetMs, interrupted) -> Promise.<Void>promise().future());
    FakeComponent failing = new FakeComponent("failing", events)
        .warmsUpWith((budgetMs, interrupted) -> Future.failedFuture("connection refused"));

    supervisor(5000, 200, stuck, failing).start(vertx).onComplete(testContext.succeeding(ready -> testContext.verify(() -> {
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertEquals(ServiceStatus.State.READY, status.state());
      assertTrue(tookMs >= 200 && tookMs < 3000, "ready after " + tookMs + " ms");
      testContext.completeNow();
    })));
  }

  @Test
  void stop_during_the_warm_up_interrupts_it_at_once_and_the_service_is_never_ready(Vertx vertx,
                                                                                    VertxTestContext testContext) {
    Checkpoint interruptedSeen = testContext.checkpoint();
    Checkpoint stopped = testContext.checkpoint();
    Promise<Void> warming = Promise.promise();
    FakeComponent http = new FakeComponent("http", events).warmsUpWith((budgetMs, interrupted) -> {
      vertx.runOnContext(ignored -> warming.complete());
      return interrupted.andThen(ignored -> interruptedSeen.flag());
    });
    Supervisor supervisor = supervisor(30_000, 20_000, http);
    supervisor.start(vertx);

    warming.future().onComplete(testContext.succeeding(ignored -> {
      long stopAt = System.nanoTime();
      supervisor.stop(Termination.requested()).onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopAt);
        assertTrue(tookMs < 2000, "stopped after " + tookMs + " ms of a 20 s warm-up");
        assertNotEquals(ServiceStatus.State.READY, status.state());
        assertEquals(-1, status.readyAtMillis(), "it was never READY");
        assertTrue(events.contains("http drain"), String.valueOf(events));
        stopped.flag();
      })));
    }));
  }
}
