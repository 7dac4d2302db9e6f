package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop, in one place: which component stops when, what each waits for, and the one deadline that
 * bounds them all. Vert.x undeploys a parent's children in parallel and only then calls the parent's
 * {@code stop()}, so the order cannot come from the deployment tree: the plan carries out each
 * component's step itself, one after another, whoever began the stop.
 */
final class StopPlan {

  /** Where each component is in the stop: one value per component. */
  enum Step {
    PENDING, STOPPING, STOPPED, FAILED, CUT_OFF, NOT_STARTED,
    /** Its turn came only after the deadline (one before it was cut off): it still runs, but was not busy then. */
    PAST_DEADLINE
  }

  private static final Logger log = LoggerFactory.getLogger(StopPlan.class);

  private final List<Component> stopOrder;
  private final Map<String, Step> steps = new ConcurrentHashMap<>();
  private final Map<String, Promise<Void>> passed = new ConcurrentHashMap<>();

  /** @param stopOrder the components, first to stop first */
  StopPlan(List<Component> stopOrder) {
    this.stopOrder = List.copyOf(stopOrder);
    stopOrder.forEach(c -> {
      steps.put(c.name(), Step.PENDING);
      passed.put(c.name(), Promise.promise());
    });
  }

  /**
   * Stops every component that started, in order, within {@code deadline}. Never fails: a step that fails
   * is logged, one still running at the deadline is cut off and named by {@link #busy()}, and the plan
   * goes on with the next component, so that Vert.x can still close and the process say what was busy.
   *
   * @param readinessDown turns readiness to DRAINING: the first thing a stop does
   */
  Future<Void> run(Deadline deadline, Set<String> started, Runnable readinessDown) {
    // 1. Begin: readiness reports DRAINING at once, so that load balancers stop sending while the
    //    components still serve.
    readinessDown.run();
    Future<Void> plan = Future.succeededFuture();
    for (Component component : stopOrder) {
      // 2. Each component in turn, last started first: its own step (http drains: it holds readiness down
      //    for shutdown.drainDelayMs, closes its listener and waits for the requests in flight; the worker
      //    lets its running job finish and hands its lease over; the cluster membership leaves; the
      //    management listener, when on, has answered probes and scrapes until then and closes; metrics,
      //    last, release the registry those scrapes read), bounded by what is left of the deadline.
      // 3. Then it leaves: its undeploy closes its servers and timers. The next component starts its
      //    step only now, so the worker keeps working while http drains.
      plan = plan.compose(previous -> started.contains(component.name())
          ? stop(component, deadline)
          : skip(component));
    }
    // 4. Close: Vert.x itself is closed by whoever owns it, the process edge, once this future completes.
    return plan;
  }

  /** Completes once the plan has carried out {@code component}'s step (or skipped it). */
  Future<Void> passed(String component) {
    return passed.get(component).future();
  }

  /** The components still stopping, or cut off at the deadline, in stop order; empty if none. */
  List<String> busy() {
    return stopOrder.stream().map(Component::name)
        .filter(name -> steps.get(name) == Step.STOPPING || steps.get(name) == Step.CUT_OFF)
        .collect(Collectors.toList());
  }

  Step step(String component) {
    return steps.get(component);
  }

  private Future<Void> skip(Component component) {
    steps.put(component.name(), Step.NOT_STARTED);
    passed.get(component.name()).tryComplete();
    return Future.succeededFuture();
  }

  private Future<Void> stop(Component component, Deadline deadline) {
    String name = component.name();
    long startNanos = System.nanoTime();
    steps.put(name, deadline.passed() ? Step.PAST_DEADLINE : Step.STOPPING);
    return bounded(component::drain, deadline).transform(ar -> {
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
      if (ar.failed() && ar.cause() instanceof TimeoutException) {
        steps.put(name, Step.CUT_OFF);
        log.warn("{} still busy at the shutdown deadline after {} ms: cut off", name, tookMs);
      } else if (ar.failed()) {
        steps.put(name, Step.FAILED);
        log.warn("{} did not stop cleanly after {} ms: {}", name, tookMs, ar.cause().toString());
      } else {
        steps.put(name, Step.STOPPED);
        log.info("{} stopped in {} ms", name, tookMs);
      }
      passed.get(name).tryComplete();
      return bounded(ignored -> component.undeploy(), deadline)
          .onFailure(cause -> log.warn("{} undeploy did not complete: {}", name, cause.toString()))
          .otherwiseEmpty();
    });
  }

  private static Future<Void> bounded(Function<Deadline, Future<Void>> action, Deadline deadline) {
    Future<Void> running;
    try {
      running = action.apply(deadline);
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    // At least 1 ms: past the deadline a step is cut off at once, and the plan still moves on.
    return running.timeout(Math.max(1, deadline.remainingMs()), TimeUnit.MILLISECONDS);
  }
}
