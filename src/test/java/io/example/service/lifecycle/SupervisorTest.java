package io.example.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The supervisor over a list of components: start, rollback in reverse order, start deadline, stop reasons. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class SupervisorTest {

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ServiceStatus status = new ServiceStatus();

  private Supervisor supervisor(long startupTimeoutMs, FakeComponent... components) {
    return new Supervisor(List.of(components), status, startupTimeoutMs, 2000);
  }

  @Test
  void ready_once_every_component_has_started(Vertx vertx, VertxTestContext testContext) {
    Promise<Void> slow = Promise.promise();
    Supervisor supervisor = supervisor(5000, new FakeComponent("a", events),
        new FakeComponent("b", events).startsWith(slow.future()));

    Future<Void> started = supervisor.start(vertx);
    testContext.verify(() -> assertEquals(ServiceStatus.State.STARTING, status.state(), "b is still starting"));
    slow.complete();
    started.onComplete(testContext.succeeding(ready -> testContext.verify(() -> {
      assertEquals(ServiceStatus.State.READY, status.state());
      assertEquals(List.of("a start", "b start"), events);
      testContext.completeNow();
    })));
  }

  @Test
  void failed_start_undeploys_what_started_in_reverse_order_of_the_list(Vertx vertx, VertxTestContext testContext) {
    Supervisor supervisor = supervisor(5000, new FakeComponent("cluster", events), new FakeComponent("worker", events),
        new FakeComponent("http", events).startsWith(Future.failedFuture("port taken")),
        new FakeComponent("extra", events));

    supervisor.start(vertx).onComplete(testContext.failing(cause -> testContext.verify(() -> {
      DeployFailure failure = assertInstanceOf(DeployFailure.class, cause);
      assertEquals("http", failure.component());
      assertEquals("port taken", failure.getCause().getMessage());
      // extra, worker and cluster had started; http never did, so it is only forgotten.
      assertEquals(List.of("extra undeploy", "http undeploy", "worker undeploy", "cluster undeploy"),
          events.stream().filter(e -> e.endsWith("undeploy")).toList());
      assertTrue(events.stream().noneMatch(e -> e.endsWith("drain")), "a failed start runs no stop step");
      testContext.completeNow();
    })));
  }

  @Test
  void start_that_never_completes_fails_at_the_startup_timeout_naming_it(Vertx vertx, VertxTestContext testContext) {
    long startNanos = System.nanoTime();
    Supervisor supervisor = supervisor(300, new FakeComponent("worker", events).neverStarts(),
        new FakeComponent("http", events));

    supervisor.start(vertx).onComplete(testContext.failing(cause -> testContext.verify(() -> {
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      DeployFailure failure = assertInstanceOf(DeployFailure.class, cause);
      assertEquals("worker", failure.component());
      assertInstanceOf(TimeoutException.class, failure.getCause());
      assertTrue(tookMs >= 290 && tookMs < 2000, "failed after " + tookMs + " ms");
      assertEquals(List.of("http undeploy", "worker undeploy"),
          events.stream().filter(e -> e.endsWith("undeploy")).toList());
      assertEquals(ServiceStatus.State.STARTING, status.state(), "never ready");
      testContext.completeNow();
    })));
  }

  @Test
  void stop_runs_each_step_in_reverse_order_then_reports_the_reason(Vertx vertx, VertxTestContext testContext) {
    Supervisor supervisor = supervisor(5000, new FakeComponent("worker", events), new FakeComponent("http", events));
    Checkpoint stopped = testContext.checkpoint();

    supervisor.start(vertx)
        .compose(ready -> {
          events.clear();
          return supervisor.stop(Termination.requested());
        })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(List.of("http drain", "http drained", "http undeploy",
              "worker drain", "worker drained", "worker undeploy"), events);
          assertEquals("requested", supervisor.stopped().getNow(null).reason());
          stopped.flag();
        })));
  }

  @Test
  void component_stopped_outside_the_plan_stops_the_others_and_is_the_reason(Vertx vertx,
                                                                            VertxTestContext testContext) {
    FakeComponent worker = new FakeComponent("worker", events);
    Supervisor supervisor = supervisor(5000, worker, new FakeComponent("http", events));
    Checkpoint stopped = testContext.checkpoint();

    supervisor.start(vertx)
        .compose(ready -> worker.supervision().stoppedOutsidePlan("worker"))
        .compose(workerMayGoOn -> {
          // The worker's own undeploy goes on only once the plan has passed it: http first, then its step.
          testContext.verify(() ->
              assertTrue(events.containsAll(List.of("http drained", "worker drained")), events.toString()));
          return Future.fromCompletionStage(supervisor.stopped());
        })
        .onComplete(testContext.succeeding(reason -> testContext.verify(() -> {
          assertEquals("stopped:worker", reason.reason());
          assertEquals(ExitCode.COMPONENT_FAILED, reason.exit());
          stopped.flag();
        })));
  }

  @Test
  void runtime_failure_stops_everything_and_later_failures_change_nothing(Vertx vertx,
                                                                         VertxTestContext testContext) {
    FakeComponent worker = new FakeComponent("worker", events);
    FakeComponent http = new FakeComponent("http", events);
    Supervisor supervisor = supervisor(5000, worker, http);

    supervisor.start(vertx).onComplete(testContext.succeeding(ready -> {
      worker.supervision().failed("worker", new IllegalStateException("boom"));
      http.supervision().failed("http", new IllegalStateException("boom too"));
      supervisor.stopping().onComplete(testContext.succeeding(done -> testContext.verify(() -> {
        assertEquals("failure:worker", supervisor.stopped().getNow(null).reason());
        testContext.completeNow();
      })));
    }));
  }

  @Test
  void step_still_running_at_the_deadline_is_cut_off_and_the_stop_is_a_deadline(Vertx vertx,
                                                                               VertxTestContext testContext) {
    Supervisor supervisor = new Supervisor(List.of(new FakeComponent("worker", events),
        new FakeComponent("http", events).drainsWith(deadline -> Promise.<Void>promise().future())),
        status, 5000, 300);
    long[] began = new long[1];

    supervisor.start(vertx)
        .compose(ready -> {
          began[0] = System.nanoTime();
          return supervisor.stop(Termination.requested());
        })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began[0]);
          assertTrue(tookMs >= 290 && tookMs < 2000, "cut off after " + tookMs + " ms");
          assertEquals(List.of("http"), supervisor.busy());
          assertTrue(events.contains("worker drained"), "the worker still gets its turn: " + events);
          Termination reason = supervisor.stopped().getNow(null);
          assertEquals(ExitCode.DEADLINE, reason.exit());
          assertTrue(reason.summary(1).endsWith("busy=http"), reason.summary(1));
          testContext.completeNow();
        })));
  }
}
