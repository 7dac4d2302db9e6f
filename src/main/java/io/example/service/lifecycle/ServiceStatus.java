package io.example.service.lifecycle;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What the service is doing now, shared by the verticles (which run on different event loops) and read
 * by {@code /readyz} and, through {@link StatusReport}, {@code /status}. One instance per service, passed by
 * constructor, never static.
 */
public final class ServiceStatus {

  public enum State { STARTING, READY, DRAINING, STOPPING }

  private final long startedAtNanos = System.nanoTime();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicLong jobsCompleted = new AtomicLong();
  private final AtomicLong jobsFailed = new AtomicLong();
  private final AtomicLong jobsTimedOut = new AtomicLong();
  private volatile JobOutcome lastJobOutcome;
  private volatile boolean jobRunning;
  private volatile Instant lastJobFinishedAt;
  private volatile long lastJobSucceededAtMillis = -1;
  private final AtomicLong jobNanosTotal = new AtomicLong(); // every finished job's duration, summed
  private volatile long readyAtMillis = -1;
  private final LongAdder requestsReceived = new LongAdder(); // added to from every event loop
  private volatile int httpPort = -1;
  private volatile int managementPort = -1;
  private volatile BooleanSupplier workerActive = () -> true;
  private volatile IntSupplier clusterMembers;

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

  public void jobStarted() {
    jobRunning = true;
  }

  public void jobFinished(boolean succeeded) {
    jobFinished(succeeded, 0);
  }

  /** @param tookNanos how long the job ran; summed for the job duration meter */
  public void jobFinished(boolean succeeded, long tookNanos) {
    jobEnded(succeeded ? JobOutcome.OK : JobOutcome.FAILED, tookNanos);
  }

  /** The running job was given up at its timeout; whatever it does later is not counted. */
  public void jobTimedOut(long tookNanos) {
    jobEnded(JobOutcome.TIMEOUT, tookNanos);
  }

  private void jobEnded(JobOutcome outcome, long tookNanos) {
    // The duration first: a reader that sees the new count then sees a sum that includes this job.
    jobNanosTotal.addAndGet(tookNanos);
    Instant now = Instant.now();
    if (outcome == JobOutcome.OK) {
      lastJobSucceededAtMillis = now.toEpochMilli();
    }
    (switch (outcome) {
      case OK -> jobsCompleted;
      case FAILED -> jobsFailed;
      case TIMEOUT -> jobsTimedOut;
    }).incrementAndGet();
    lastJobOutcome = outcome;
    lastJobFinishedAt = now;
    jobRunning = false;
  }

  /** The summed duration of every finished job, ok or failed, in nanoseconds. */
  public long jobNanosTotal() {
    return jobNanosTotal.get();
  }

  /** When the last job succeeded (epoch milliseconds); -1 before the first. */
  public long lastJobSucceededAtMillis() {
    return lastJobSucceededAtMillis;
  }

  public long jobsCompleted() {
    return jobsCompleted.get();
  }

  public long jobsFailed() {
    return jobsFailed.get();
  }

  public long jobsTimedOut() {
    return jobsTimedOut.get();
  }

  /** Every job that has ended, whatever its outcome. */
  public long jobsEnded() {
    return jobsCompleted.get() + jobsFailed.get() + jobsTimedOut.get();
  }

  /** How the last job ended; null before the first. */
  public JobOutcome lastJobOutcome() {
    return lastJobOutcome;
  }

  public boolean jobRunning() {
    return jobRunning;
  }

  public void requestReceived() {
    requestsReceived.increment();
  }

  public long requestsReceived() {
    return requestsReceived.sum();
  }

  public void httpPort(int port) {
    httpPort = port;
  }

  /** The port HTTP listens on, once it does; -1 before. */
  public int httpPort() {
    return httpPort;
  }

  public void managementPort(int port) {
    managementPort = port;
  }

  /** The port the management listener listens on, once it does; -1 before, or when there is none. */
  public int managementPort() {
    return managementPort;
  }

  /** Whether this process is the one that runs the jobs: always, unless clustered. */
  public void workerActive(BooleanSupplier active) {
    workerActive = active;
  }

  public boolean workerActive() {
    return workerActive.getAsBoolean();
  }

  /** The service is a cluster member; {@code members} counts its current view, itself included. */
  public void clustered(IntSupplier members) {
    clusterMembers = members;
  }

  /** Members in this process's view of the cluster: 1 when not clustered. */
  public int clusterMembers() {
    IntSupplier members = clusterMembers;
    return members == null ? 1 : members.getAsInt();
  }

  /** Since this status was made, with the service: how long the service has been up. */
  public long uptimeMs() {
    return (System.nanoTime() - startedAtNanos) / 1_000_000;
  }

  /** When the last job ended, whatever its outcome; null before the first. */
  public Instant lastJobFinishedAt() {
    return lastJobFinishedAt;
  }

  /** Whether this process is a cluster member. */
  public boolean clustered() {
    return clusterMembers != null;
  }
}
