package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start: every component at once, ready when all are, within {@code startup.timeoutMs}. A start that
 * fails, or does not complete in time, is undone: whatever started is undeployed in reverse list order.
 */
final class StartPlan {

  private static final Logger log = LoggerFactory.getLogger(StartPlan.class);

  private final List<Component> startOrder;
  private final long timeoutMs;
  private final Set<String> started;
  private volatile long beganNanos = System.nanoTime();

  /** @param started filled with the name of each component once it has started, emptied by a rollback */
  StartPlan(List<Component> startOrder, long timeoutMs, Set<String> started) {
    this.startOrder = List.copyOf(startOrder);
    this.timeoutMs = timeoutMs;
    this.started = started;
  }

  /**
   * Completes when every component has started; fails with a {@link DeployFailure} naming the first
   * component of the list that failed, or that had not started by the timeout, once the rest is undone.
   */
  Future<Void> run(Vertx vertx, Supervision supervision) {
    beganNanos = System.nanoTime();
    List<Future<Void>> starts = startOrder.stream().map(component -> startOne(vertx, component, supervision)).toList();
    // join, not all: every start settles before the rollback, so nothing is left half started.
    return Future.join(starts)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .transform(ar -> ar.succeeded() ? Future.<Void>succeededFuture() : rollBack(starts));
  }

  /** What is left of {@code startup.timeoutMs} since the start began; never negative. */
  long remainingMs() {
    return Math.max(0, timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNanos));
  }

  /** Undeploys, last started first, whatever started, then fails the start naming {@code failed}. */
  Future<Void> rollBack(String failed, Throwable cause) {
    Throwable why = cause;
    if (cause instanceof TimeoutException) {
      why = new TimeoutException("did not start within " + timeoutMs + " ms (startup.timeoutMs)");
      log.error("{} did not start within {} ms (startup.timeoutMs)", failed, timeoutMs);
    }
    List<Component> undo = new ArrayList<>(startOrder);
    Collections.reverse(undo);
    Future<Void> chain = Future.succeededFuture();
    for (Component component : undo) {
      chain = chain.transform(ignored -> undeployAfterFailedStart(component));
    }
    DeployFailure failure = new DeployFailure(failed, why);
    return chain.transform(ignored -> Future.failedFuture(failure));
  }

  private Future<Void> startOne(Vertx vertx, Component component, Supervision supervision) {
    return component.start(vertx, supervision)
        .onSuccess(ignored -> started.add(component.name()))
        .onFailure(cause -> log.error("{} failed to start: {}", component.name(), Causes.describe(cause)));
  }

  /** The first component of the list whose start failed, or else the first one still starting. */
  private Future<Void> rollBack(List<Future<Void>> starts) {
    for (int i = 0; i < starts.size(); i++) {
      if (starts.get(i).failed()) {
        return rollBack(startOrder.get(i).name(), starts.get(i).cause());
      }
    }
    for (int i = 0; i < starts.size(); i++) {
      if (!starts.get(i).isComplete()) {
        return rollBack(startOrder.get(i).name(), new TimeoutException());
      }
    }
    return rollBack("supervisor", new IllegalStateException("start failed"));
  }

  private Future<Void> undeployAfterFailedStart(Component component) {
    if (!started.remove(component.name())) {
      return component.undeploy(); // never started: forgets it, or undeploys it if its start completes late
    }
    return component.undeploy()
        .andThen(ar -> log.info("{} undeployed after a failed start", component.name()));
  }
}
