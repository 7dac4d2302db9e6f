package io.example.service;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the service is doing now, shared by the verticles (which run on different event loops) and read
 * by {@code /readyz} and {@code /status}. One instance per service, passed by constructor, never static.
 */
final class ServiceStatus {

  enum State { STARTING, READY, DRAINING, STOPPING }

  private final long startedAtNanos = System.nanoTime();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicLong jobsCompleted = new AtomicLong();
  private final AtomicLong jobsFailed = new AtomicLong();
  private volatile boolean jobRunning;
  private volatile Instant lastJobFinishedAt;
  private final LongAdder requestsReceived = new LongAdder(); // added to from every event loop
  private volatile int httpPort = -1;

  State state() {
    return state.get();
  }

  /** Ready only once, and only if no shutdown has begun meanwhile. */
  void ready() {
    state.compareAndSet(State.STARTING, State.READY);
  }

  /** The shutdown has begun: readiness fails while requests are still served. */
  void draining() {
    state.updateAndGet(s -> s == State.STOPPING ? s : State.DRAINING);
  }

  /** The listener is closing: requests in flight finish, nothing new is accepted. */
  void stopping() {
    state.set(State.STOPPING);
  }

  /** From the first signal on, every response asks the client to close its connection. */
  boolean isShuttingDown() {
    State s = state.get();
    return s == State.DRAINING || s == State.STOPPING;
  }

  void jobStarted() {
    jobRunning = true;
  }

  void jobFinished(boolean succeeded) {
    (succeeded ? jobsCompleted : jobsFailed).incrementAndGet();
    lastJobFinishedAt = Instant.now();
    jobRunning = false;
  }

  long jobsCompleted() {
    return jobsCompleted.get();
  }

  long jobsFailed() {
    return jobsFailed.get();
  }

  boolean jobRunning() {
    return jobRunning;
  }

  void requestReceived() {
    requestsReceived.increment();
  }

  long requestsReceived() {
    return requestsReceived.sum();
  }

  void httpPort(int port) {
    httpPort = port;
  }

  /** The port HTTP listens on, once it does; -1 before. */
  int httpPort() {
    return httpPort;
  }

  JsonObject toJson() {
    Instant last = lastJobFinishedAt;
    return new JsonObject()
        .put("state", state().name())
        .put("uptimeMs", (System.nanoTime() - startedAtNanos) / 1_000_000)
        .put("worker", new JsonObject()
            .put("jobsCompleted", jobsCompleted.get())
            .put("jobsFailed", jobsFailed.get())
            .put("jobRunning", jobRunning)
            .put("lastJobFinishedAt", last == null ? null : last.toString()))
        .put("http", new JsonObject().put("port", httpPort).put("requests", requestsReceived.sum()));
  }
}
