package io.example.service.http;

/**
 * When the warm-up's path is warm, judged window by window: for {@link #FLAT_WINDOWS} windows in a row,
 * the throughput has not risen 5 % above the best window so far while the JIT compilers were quiet (they
 * compiled for less than a quarter of the window). Throughput alone is not enough: on 2 cores a C2
 * compiler thread takes a whole core for seconds after the start, the rate stays flat while it works,
 * then jumps when its code is installed.
 */
final class Plateau {

  static final int FLAT_WINDOWS = 4;
  private static final double GAIN = 1.05;
  private static final double QUIET_JIT_SHARE = 0.25;

  private long bestPerSecond;
  private int flatWindows;

  /**
   * @param perSecond the window's throughput
   * @param windowMs how long the window was
   * @param compiledMs how long the JIT compiled during the window, summed over its threads
   * @return whether the path is now warm
   */
  boolean warmAfter(long perSecond, long windowMs, long compiledMs) {
    if (perSecond > bestPerSecond * GAIN) {
      bestPerSecond = perSecond;
      flatWindows = 0;
    } else if (compiledMs >= QUIET_JIT_SHARE * windowMs) {
      flatWindows = 0;
    } else {
      flatWindows++;
    }
    return flatWindows >= FLAT_WINDOWS;
  }
}
