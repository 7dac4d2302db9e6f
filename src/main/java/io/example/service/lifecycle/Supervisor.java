package io.example.service.lifecycle;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the service's promise over an ordered list of components: they start together, a failed start
 * undoes whatever started in the reverse order of the list, and the first component to end (it fails, or it is
 * undeployed by anyone but us) stops all the others through one {@link StopPlan}, bounded by one
 * {@link Deadline}. The stop ends only when every component has stopped, and the first reason is the one
 * reported. It never ends the process: the process edge reads {@link #stopped()} and does that.
 */
public final class Supervisor implements Supervision {

  private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

  private final List<Component> components;
  private final ServiceStatus status;
  private final long shutdownTimeoutMs;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final StartPlan startPlan;
  private final WarmupPhase warmup;
  private final StopPlan plan;
  private final CompletableFuture<Termination> stopped = new CompletableFuture<>();
  private final CompletableFuture<Termination> stopBegan = new CompletableFuture<>();
  private volatile BiConsumer<Termination, Deadline> onStop = (reason, deadline) -> { };
  private final Promise<Void> startSettled = Promise.promise();
  private volatile Context context; // the supervisor's own, where the stop plan runs
  private Future<Void> startup; // guarded by this, as are the fields below
  private String failedWhileStarting;
  private Future<Void> stopping;

  public Supervisor(List<Component> startOrder, ServiceStatus status, long startupTimeoutMs, long shutdownTimeoutMs) {
    this(startOrder, status, startupTimeoutMs, 0, shutdownTimeoutMs);
  }

  /** @param warmupMs how long the components may warm up before READY, within startup.timeoutMs; 0: none */
  public Supervisor(List<Component> startOrder, ServiceStatus status, long startupTimeoutMs, long warmupMs,
                    long shutdownTimeoutMs) {
    this.components = List.copyOf(startOrder);
    this.warmup = new WarmupPhase(startOrder, warmupMs);
    this.status = status;
    this.shutdownTimeoutMs = shutdownTimeoutMs;
    this.startPlan = new StartPlan(startOrder, startupTimeoutMs, started);
    List<Component> stopOrder = new ArrayList<>(startOrder);
    Collections.reverse(stopOrder);
    this.plan = new StopPlan(stopOrder);
  }

  /** Called once, on the thread that begins the stop, before any step: the process edge arms its guard. */
  public void onStop(BiConsumer<Termination, Deadline> listener) {
    onStop = listener;
  }

  /**
   * Starts every component at once, all within {@code startup.timeoutMs}, lets them warm up (when
   * {@code startup.warmupMs} says so), and only then says READY. Fails with a {@link DeployFailure} naming the first component of the list
   * that failed or had not started by then, once whatever had started is undeployed again.
   */
  public synchronized Future<Void> start(Vertx vertx) {
    context = vertx.getOrCreateContext();
    startup = startPlan.run(vertx, this)
        .compose(ignored -> warmup.run(startPlan.remainingMs()))
        .compose(ignored -> becomeReady());
    startup.onComplete(settled -> startSettled.tryComplete());
    return startup;
  }

  /**
   * Stops every component in the plan's order. The first call begins the stop and its deadline; every
   * later call, from any thread, gets the same stop. A stop asked for during the start waits for the
   * start to settle first.
   */
  public Future<Void> stop(Termination reason) {
    Promise<Void> done = Promise.promise();
    Deadline began;
    synchronized (this) {
      if (stopping != null) {
        log.info("already stopping; {} changes nothing", reason.reason());
        return stopping;
      }
      began = Deadline.in(shutdownTimeoutMs); // the one place a Deadline is made
      stopping = done.future();
    }
    log.info("stopping: reason={}, deadline in {} ms", reason.reason(), began.timeoutMs());
    onStop.accept(reason, began);
    stopBegan.complete(reason);
    warmup.interrupt(); // a signal during the warm-up ends it at once
    // A stop asked for before the start has settled (a signal during the start) waits for it: the plan
    // then stops what started, or nothing if the start failed and was rolled back.
    startSettled.future()
        .compose(ignored -> onOwnContext(() -> plan.run(began, started, status::draining)))
        .onComplete(ignored -> {
          log.info("all components stopped");
          stopped.complete(reason.cutOff(plan.busy()));
          done.complete();
        });
    return done.future();
  }

  /** The stop under way or over; null before one has begun. */
  public synchronized Future<Void> stopping() {
    return stopping;
  }

  /** Completes with why the service stopped once every component has stopped (or was cut off). */
  public CompletableFuture<Termination> stopped() {
    return stopped;
  }

  /** Completes with the first reason to stop, as soon as the stop begins. */
  public CompletableFuture<Termination> stopBegan() {
    return stopBegan;
  }

  /** Components still stopping, or cut off, at the deadline, in stop order; empty if none. */
  public List<String> busy() {
    return plan.busy();
  }

  @Override
  public void failed(String component, Throwable cause) {
    synchronized (this) {
      if (stopping != null || failedWhileStarting != null) {
        log.warn("{} also failed: {}", component, Causes.describe(cause));
        return;
      }
      if (status.state() == ServiceStatus.State.STARTING) {
        // The start fails at its end and is reported as a failed start.
        failedWhileStarting = component;
        warmup.interrupt();
        log.error("{} failed while the service was starting: {}", component, Causes.describe(cause));
        return;
      }
    }
    log.error("{} failed: {}; stopping all components", component, Causes.describe(cause));
    stop(Termination.failure(component));
  }

  @Override
  public Future<Void> stoppedOutsidePlan(String component) {
    boolean first;
    synchronized (this) {
      first = stopping == null;
    }
    if (first) {
      log.warn("{} is being undeployed outside the stop plan; stopping all components", component);
    }
    // A JVM shutdown hook (a launcher's, on a signal we do not handle) closing Vert.x is a stop, not a fault.
    stop(JvmShutdown.inProgress() ? Termination.jvmShutdown() : Termination.stopped(component));
    return plan.passed(component);
  }

  /**
   * Runs {@code step} on the supervisor's context. A stop may begin on any thread (a signal handler's), and
   * Vert.x timers made off its threads can fire before their id is stored: cancelling one from its own first
   * tick then fails inside Vert.x, and the step never completes.
   */
  private Future<Void> onOwnContext(Supplier<Future<Void>> step) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(ignored -> step.get().onComplete(done));
    return done.future();
  }

  private Future<Void> becomeReady() {
    synchronized (this) {
      if (failedWhileStarting != null) {
        return startPlan.rollBack(failedWhileStarting, new IllegalStateException("failed while starting"));
      }
      if (stopping != null) {
        return Future.succeededFuture(); // a stop began during the start (or its warm-up): never READY
      }
      status.ready();
    }
    components.forEach(Component::ready);
    return Future.succeededFuture();
  }
}
