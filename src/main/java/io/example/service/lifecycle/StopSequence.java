package io.example.service.lifecycle;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the components one after another, in a fixed order, within one deadline, whoever starts the stop.
 *
 * <p>Vert.x undeploys a parent's children in parallel, and only then calls the parent's {@code stop()}
 * (VERTX5-FACTS Q2), so the order cannot come from the deployment tree. Instead each component's
 * {@code stop()} goes through {@link #stop}: it waits for the components before it, then runs its stopping
 * action once; other instances of the same component share that result. Our signal handler, the stock
 * launcher's shutdown hook and a test's {@code vertx.close()} therefore all get the same ordered drain.
 *
 * <p>A stage never fails: one that is still running at the deadline is recorded as cut off, so that Vert.x
 * can go on closing and the process can say which component was busy.
 */
public final class StopSequence {

  private static final Logger log = LoggerFactory.getLogger(StopSequence.class);
  private static final long NOT_BEGUN = Long.MIN_VALUE;
  /**
   * How long past the deadline the in-Vert.x bounds wait. Where a deadline guard exists (our main, or a
   * launcher's shutdown hook) it halts the process at the deadline itself, so these bounds only end a stop
   * embedded in a test's Vert.x, where nothing else would.
   */
  static final long BACKSTOP_MS = 200;

  private final List<String> order;
  private final long timeoutMs;
  private final Runnable onBegin;
  private final AtomicLong beganAtNanos = new AtomicLong(NOT_BEGUN);
  private final Map<String, CompletableFuture<Void>> stopped = new ConcurrentHashMap<>();
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
  private final Set<String> cutOff = ConcurrentHashMap.newKeySet();

  /**
   * @param order the components, first to stop first
   * @param onBegin runs once, on the thread that begins the stop
   */
  public StopSequence(List<String> order, long timeoutMs, Runnable onBegin) {
    this.order = List.copyOf(order);
    this.timeoutMs = timeoutMs;
    this.onBegin = onBegin;
    order.forEach(component -> stopped.put(component, new CompletableFuture<>()));
  }

  /** Starts the deadline clock; later calls change nothing. */
  void begin() {
    if (beganAtNanos.compareAndSet(NOT_BEGUN, System.nanoTime())) {
      onBegin.run();
    }
  }

  public boolean begun() {
    return beganAtNanos.get() != NOT_BEGUN;
  }

  /** Time left before the deadline; the whole timeout before the stop has begun. */
  long remainingMs() {
    long began = beganAtNanos.get();
    if (began == NOT_BEGUN) {
      return timeoutMs;
    }
    return Math.max(0, timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  /** How long a stopping step may still wait: until the deadline plus the backstop. */
  public long boundMs() {
    return remainingMs() + BACKSTOP_MS;
  }

  /** A component that never started counts as stopped, so the ones after it need not wait for it. */
  public void skip(String component) {
    started.add(component);
    stopped.get(component).complete(null);
  }

  /**
   * Stops {@code component} in its turn by running {@code action} on {@code context}, once.
   *
   * @return completes, on {@code context}, when the component has stopped or was cut off at the deadline
   */
  public Future<Void> stop(String component, Context context, Supplier<Future<?>> action) {
    begin();
    CompletableFuture<Void> done = stopped.get(component);
    if (started.add(component)) {
      awaitTurn(component, context)
          .transform(ignored -> runBounded(component, action))
          .onComplete(ignored -> done.complete(null));
    }
    return Future.fromCompletionStage(done, context);
  }

  /** Completes when every component has stopped or been cut off. */
  public Future<Void> finished(Context context) {
    CompletableFuture<?>[] all = stopped.values().toArray(CompletableFuture[]::new);
    return Future.fromCompletionStage(CompletableFuture.allOf(all), context).mapEmpty();
  }

  /** The components still stopping, or cut off at the deadline, in stop order; empty if all stopped in time. */
  public String busy() {
    return order.stream()
        .filter(c -> inProgress.contains(c) || cutOff.contains(c))
        .collect(Collectors.joining(","));
  }

  private Future<Void> awaitTurn(String component, Context context) {
    int index = order.indexOf(component);
    if (index <= 0) {
      return Future.succeededFuture();
    }
    CompletableFuture<Void> previous = stopped.get(order.get(index - 1));
    // Bounded: past the deadline this component is stopped anyway (and cut off at once).
    return Future.fromCompletionStage(previous, context)
        .timeout(boundMs(), TimeUnit.MILLISECONDS)
        .otherwiseEmpty();
  }

  private Future<Void> runBounded(String component, Supplier<Future<?>> action) {
    long startNanos = System.nanoTime();
    inProgress.add(component);
    Future<?> stopping;
    try {
      stopping = action.get();
    } catch (RuntimeException e) {
      stopping = Future.failedFuture(e);
    }
    return stopping
        .timeout(boundMs(), TimeUnit.MILLISECONDS)
        .transform(ar -> {
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
          if (ar.failed() && ar.cause() instanceof TimeoutException) {
            cutOff.add(component);
            log.warn("{} still busy at the shutdown deadline after {} ms: cut off", component, tookMs);
          } else if (ar.failed()) {
            log.warn("{} did not stop cleanly after {} ms: {}", component, tookMs, ar.cause().toString());
          } else {
            log.info("{} stopped in {} ms", component, tookMs);
          }
          inProgress.remove(component);
          return Future.succeededFuture();
        });
  }
}
