package io.example.service.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The plan's steps: in order, each bounded, never failing the stop, each component one state. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class StopPlanTest {

  private final List<String> events = new CopyOnWriteArrayList<>();

  @Test
  void readiness_goes_down_before_any_step_and_each_step_waits_for_the_one_before(Vertx vertx,
                                                                                VertxTestContext testContext) {
    Promise<Void> httpDrained = Promise.promise();
    StopPlan plan = new StopPlan(List.of(
        new FakeComponent("http", events).drainsWith(deadline -> httpDrained.future()),
        new FakeComponent("worker", events)));

    Future<Void> run = plan.run(Deadline.in(5000), Set.of("http", "worker"), () -> events.add("readiness down"));
    testContext.verify(() -> {
      assertEquals(List.of("readiness down", "http drain"), events, "the worker waits for http");
      assertEquals(StopPlan.Step.STOPPING, plan.step("http"));
      assertEquals(StopPlan.Step.PENDING, plan.step("worker"));
      assertEquals(List.of("http"), plan.busy(), "busy while stopping");
    });
    vertx.timer(50, TimeUnit.MILLISECONDS).onComplete(ignored -> httpDrained.complete());
    run.onComplete(testContext.succeeding(done -> testContext.verify(() -> {
      assertEquals(List.of("readiness down", "http drain", "http drained", "http undeploy",
          "worker drain", "worker drained", "worker undeploy"), events);
      assertEquals(List.of(), plan.busy());
      testContext.completeNow();
    })));
  }

  @Test
  void failing_or_throwing_steps_still_count_as_stopped_and_the_next_goes_on(VertxTestContext testContext) {
    StopPlan plan = new StopPlan(List.of(
        new FakeComponent("http", events).drainsWith(deadline -> Future.failedFuture("drain broke")),
        new FakeComponent("worker", events).drainsWith(deadline -> {
          throw new IllegalStateException("step threw");
        }),
        new FakeComponent("cluster", events)));

    plan.run(Deadline.in(5000), Set.of("http", "worker", "cluster"), () -> { })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(StopPlan.Step.FAILED, plan.step("http"));
          assertEquals(StopPlan.Step.FAILED, plan.step("worker"));
          assertEquals(StopPlan.Step.STOPPED, plan.step("cluster"));
          assertEquals(List.of(), plan.busy(), "a failed step is not a cut-off one");
          assertTrue(events.containsAll(List.of("http undeploy", "cluster drained", "cluster undeploy")), events.toString());
          testContext.completeNow();
        })));
  }

  @Test
  void components_that_never_started_are_skipped_but_passed(VertxTestContext testContext) {
    StopPlan plan = new StopPlan(List.of(new FakeComponent("http", events), new FakeComponent("worker", events)));

    plan.run(Deadline.in(5000), Set.of("worker"), () -> { })
        .onComplete(testContext.succeeding(done -> testContext.verify(() -> {
          assertEquals(StopPlan.Step.NOT_STARTED, plan.step("http"));
          assertTrue(plan.passed("http").succeeded());
          assertEquals(List.of("worker drain", "worker drained", "worker undeploy"), events);
          testContext.completeNow();
        })));
  }
}
