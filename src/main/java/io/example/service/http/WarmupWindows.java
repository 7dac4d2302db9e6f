package io.example.service.http;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * The warm-up's measurements: the answers so far, and window by window their rate and the JIT compilers'
 * time, which {@link Plateau} turns into "warm". Used on the warm-up's own context only.
 */
final class WarmupWindows {

  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private final Plateau plateau = new Plateau();
  private long answered;
  private long windowAnswered;
  private long windowBeganNanos;
  private long compiledMs = compileMs();
  private long lastPerSecond;

  WarmupWindows(long beganNanos) {
    this.windowBeganNanos = beganNanos;
  }

  void answered() {
    answered++;
  }

  long answeredSoFar() {
    return answered;
  }

  /** The rate of the last window that ended, in answers per second; 0 before the first. */
  long lastPerSecond() {
    return lastPerSecond;
  }

  /** A window has passed: records its rate, and says whether the rate has stopped rising. */
  boolean endWindowWarm() {
    long now = System.nanoTime();
    lastPerSecond = (answered - windowAnswered) * TimeUnit.SECONDS.toNanos(1) / Math.max(1, now - windowBeganNanos);
    long compiled = compileMs();
    boolean warm = plateau.warmAfter(lastPerSecond, TimeUnit.NANOSECONDS.toMillis(now - windowBeganNanos),
        compiled - compiledMs);
    windowAnswered = answered;
    windowBeganNanos = now;
    compiledMs = compiled;
    return warm;
  }

  /** Time the JIT compilers have spent so far, summed over their threads; 0 where the JVM does not say. */
  private long compileMs() {
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }
}
