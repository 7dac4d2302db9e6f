package io.example.service.lifecycle;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the service is in its life (starting, ready, draining, stopping), shared by the verticles (which run
 * on different event loops) and read by {@code /readyz}; and the list of the parts' own views of themselves,
 * which {@link StatusReport} and the metrics read. Each part keeps its own state (the worker its jobs, http its
 * requests and port, the cluster its members): this class holds none of it. One instance per service, passed
 * by constructor, never static.
 */
public final class ServiceStatus {

  public enum State { STARTING, READY, DRAINING, STOPPING }

  private final long startedAtNanos = System.nanoTime();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private volatile long readyAtMillis = -1;
  private final List<PartStatus> parts = new CopyOnWriteArrayList<>();

  public State state() {
    return state.get();
  }

  /** Ready only once, and only if no shutdown has begun meanwhile. */
  public void ready() {
    if (state.compareAndSet(State.STARTING, State.READY)) {
      readyAtMillis = System.currentTimeMillis();
    }
  }

  /** When the service became ready (epoch milliseconds); -1 until it has. */
  public long readyAtMillis() {
    return readyAtMillis;
  }

  /** The shutdown has begun: readiness fails while requests are still served. */
  public void draining() {
    state.updateAndGet(s -> s == State.STOPPING ? s : State.DRAINING);
  }

  /** The listener is closing: requests in flight finish, nothing new is accepted. */
  public void stopping() {
    state.set(State.STOPPING);
  }

  /** From the first signal on, every response asks the client to close its connection. */
  public boolean isShuttingDown() {
    State s = state.get();
    return s == State.DRAINING || s == State.STOPPING;
  }

  /** Since this status was made, with the service: how long the service has been up. */
  public long uptimeMs() {
    return (System.nanoTime() - startedAtNanos) / 1_000_000;
  }

  /** Adds a part's view of itself to {@code /status} and {@code /metrics}, after the parts added before it. */
  public void add(PartStatus part) {
    parts.add(part);
  }

  /** The parts' views, in the order they were added. */
  public List<PartStatus> parts() {
    return List.copyOf(parts);
  }
}
