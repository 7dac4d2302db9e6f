package io.example.service.lifecycle;

import java.util.concurrent.TimeUnit;

/**
 * The one deadline of a stop: made once, when the stop begins, and handed to the guard that halts the
 * process, to the stop plan and to each component's step, so that every bound and every "time left" in
 * the log is measured from the same instant.
 */
public final class Deadline {

  private final long timeoutMs;
  private final long beganNanos;

  private Deadline(long timeoutMs, long beganNanos) {
    this.timeoutMs = timeoutMs;
    this.beganNanos = beganNanos;
  }

  /** A deadline {@code timeoutMs} from now. */
  public static Deadline in(long timeoutMs) {
    return new Deadline(timeoutMs, System.nanoTime());
  }

  public long timeoutMs() {
    return timeoutMs;
  }

  /** When the stop began (System.nanoTime): the summary's {@code took} counts from here. */
  public long beganNanos() {
    return beganNanos;
  }

  public long elapsedMs() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNanos);
  }

  /** Time left, never negative. */
  public long remainingMs() {
    return Math.max(0, timeoutMs - elapsedMs());
  }

  public boolean passed() {
    return remainingMs() == 0;
  }
}
