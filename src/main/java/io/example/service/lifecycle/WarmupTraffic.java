package io.example.service.lifecycle;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the service's own warm-up requests apart from live traffic, so that no count sees them: not the
 * requests in {@code /status}, not the HTTP meters, not the access log. A warm-up request carries
 * {@link #HEADER} with a random secret made when the warm-up begins (not before: a start without warm-up
 * does not pay for a secure random), so no client outside can hide its requests that way.
 * One instance per service, shared by the parts that count. Outside a warm-up {@link #active()} is false
 * and a caller looks no further: the request path then pays one volatile read.
 */
public final class WarmupTraffic {

  public static final String HEADER = "x-service-warmup";

  private final Set<Thread> loops = ConcurrentHashMap.newKeySet();
  private volatile String secret = "";
  private volatile boolean active;

  private WarmupTraffic() {
  }

  /** Inactive until {@link #begin()}. */
  public static WarmupTraffic create() {
    return new WarmupTraffic();
  }

  /** Whether a warm-up is under way; when false, nothing is a warm-up request. */
  public boolean active() {
    return active;
  }

  /** Whether {@code headerValue}, the value of {@link #HEADER} (null when absent), marks a warm-up request. */
  public boolean carries(String headerValue) {
    return active && secret.equals(headerValue);
  }

  /** The value a warm-up request sends in {@link #HEADER}; made by {@link #begin()}. */
  public String secret() {
    return secret;
  }

  /** From now on, requests that carry the secret are the warm-up's. */
  public void begin() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    secret = HexFormat.of().formatHex(bytes);
    loops.clear();
    active = true;
  }

  /** The warm-up is over: every request counts again. */
  public void end() {
    active = false;
  }

  /** Called on the event loop that serves a warm-up request. */
  public void served() {
    loops.add(Thread.currentThread());
  }

  /** How many event loops served warm-up requests since {@link #begin()}. */
  public int loopsServed() {
    return loops.size();
  }
}
