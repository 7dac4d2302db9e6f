package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zero loss for the JDK's own HttpClient on HTTP/2 across a SIGTERM. Before JDK 24 (JDK-8335181) that client
 * fails every stream still active on a connection when any GOAWAY arrives, even one that promises to serve
 * them; it is what a Java caller gets by default, h2c included, since {@code newHttpClient()} prefers HTTP/2.
 *
 * <p>The caller: 32 threads on one client, sending GETs back to back in bursts of {@value #BURST_MS} ms, with a
 * quiet gap of {@value #GAP_MS} ms between bursts, like a caller that fans out a batch of calls now and then.
 * During a burst its connection always has streams in flight; in a gap it is idle. The signal comes at the start
 * of a burst and the drain delay ends in the middle of one, so a GOAWAY sent as soon as the delay ends meets
 * active streams (that is what failed before), and one that waits for an idle moment goes out in the next gap.
 * (A gap must outlast the client's reaction time: a stream it opens between our check and its reading of the
 * GOAWAY is lost whatever the server does; see README.)
 *
 * <p>There is no second instance behind a balancer here: after its GOAWAY the client would open a new
 * connection to this same instance, which a balancer that has taken the instance out would send elsewhere. So
 * the caller stops starting requests once the service says it begins to close its listener ("http quiet",
 * logged after the GOAWAYs, in the old drain as in the new); a request it started after that may only fail
 * with a refused connect, which a real caller's next connect would avoid. Every other request must get a 200,
 * and none may fail with "GOAWAY received".
 */
public class JdkHttp2DrainIT {

  static final int THREADS = 32;
  static final long BURST_MS = 200;
  static final long GAP_MS = 150;
  static final long PERIOD_MS = BURST_MS + GAP_MS;
  // Two periods and half a burst: the delay ends in the middle of a burst.
  static final long DRAIN_DELAY_MS = 2 * PERIOD_MS + BURST_MS / 2;
  static final long LOAD_LIMIT_S = 20;
  static final int MAX_REQUESTS_PER_THREAD = 5_000;
  static final int WARM_UP_ANSWERS = 1_000;

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  /** Requests by outcome. */
  static final class Counts {
    final AtomicLong ok = new AtomicLong();
    final AtomicLong http2 = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong goAway = new AtomicLong();
    final AtomicLong begunBeforeSignal = new AtomicLong();
    final AtomicLong answeredBeforeSignal = new AtomicLong();
    final AtomicLong begunAfterSignal = new AtomicLong();
    volatile long signalledNanos = Long.MAX_VALUE;
    volatile boolean listenerClosing;
    final ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
  }

  @Test
  void jdk_http2_client_loses_no_request_across_sigterm() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
        + "\"shutdown\":{\"timeoutMs\":10000,\"drainDelayMs\":" + DRAIN_DELAY_MS + "}}");
    int port = service.awaitPort();
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_2)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(10))
        .GET()
        .build();
    Counts counts = new Counts();
    long startNanos = System.nanoTime();
    long until = startNanos + TimeUnit.SECONDS.toNanos(LOAD_LIMIT_S);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      running.add(threads.submit(() -> sendUntilRefused(client, get, counts, startNanos, until)));
    }
    awaitAnswers(counts, WARM_UP_ANSWERS, until);
    sleepUntilNextBurst(startNanos);

    counts.signalledNanos = System.nanoTime();
    service.signal("TERM");
    Thread watcher = new Thread(() -> {
      service.awaitLine("http quiet after", EXIT_TIMEOUT);
      counts.listenerClosing = true;
    });
    watcher.setDaemon(true);
    watcher.start();
    for (var thread : running) {
      thread.get(LOAD_LIMIT_S + 5, TimeUnit.SECONDS);
    }
    threads.shutdown();
    int exit = service.awaitExit(EXIT_TIMEOUT);

    System.out.printf("jdk h2c drain, bursts, drainDelayMs=%d: sent=%d ok=%d http2=%d goaway=%d other_failed=%d refused=%d "
            + "begun_before_signal=%d answered=%d begun_after_signal=%d exit=%d%n", DRAIN_DELAY_MS,
        counts.ok.get() + counts.failed.size() + counts.refused.get(), counts.ok.get(),
        counts.http2.get(), counts.goAway.get(), counts.failed.size() - counts.goAway.get(), counts.refused.get(),
        counts.begunBeforeSignal.get(), counts.answeredBeforeSignal.get(), counts.begunAfterSignal.get(), exit);
    assertEquals(0, counts.goAway.get(), "requests failed with GOAWAY received: " + counts.failed.stream().limit(40).toList());
    assertEquals(0, counts.failed.size(), "requests that reached the service must get a 200; the first failures: "
        + counts.failed.stream().limit(5).toList());
    assertEquals(counts.begunBeforeSignal.get(), counts.answeredBeforeSignal.get(),
        "every request begun before the signal is answered");
    assertTrue(counts.http2.get() > counts.ok.get() / 2, "the load ran on HTTP/2: " + counts.http2.get());
    assertTrue(counts.begunAfterSignal.get() > 100, "the load went on during the drain: " + counts.begunAfterSignal.get());
    assertEquals(0, exit);
    assertSummary(service, "signal:SIGTERM", 0);
  }

  /**
   * GETs in bursts, until the service begins to close its listener, a connect is refused, the time is up, or
   * the count is reached.
   */
  private static Void sendUntilRefused(HttpClient client, HttpRequest get, Counts counts, long startNanos,
                                       long until) throws InterruptedException {
    for (int i = 0; i < MAX_REQUESTS_PER_THREAD && System.nanoTime() < until; i++) {
      if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) % PERIOD_MS >= BURST_MS) {
        sleepUntilNextBurst(startNanos);
      }
      if (counts.listenerClosing) {
        return null;
      }
      boolean beforeSignal = System.nanoTime() < counts.signalledNanos;
      (beforeSignal ? counts.begunBeforeSignal : counts.begunAfterSignal).incrementAndGet();
      try {
        HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          counts.ok.incrementAndGet();
          if (response.version() == HttpClient.Version.HTTP_2) {
            counts.http2.incrementAndGet();
          }
          if (beforeSignal) {
            counts.answeredBeforeSignal.incrementAndGet();
          }
        } else {
          counts.failed.add("status " + response.statusCode());
        }
      } catch (IOException e) {
        if (refused(e)) {
          counts.refused.incrementAndGet();
          return null; // the instance is gone: a real caller's next connect goes to another one
        }
        if (String.valueOf(e.getMessage()).contains("GOAWAY")) {
          counts.goAway.incrementAndGet();
        }
        counts.failed.add((beforeSignal ? "begun before the signal: " : "") + e + " +"
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - counts.signalledNanos) + "ms");
      }
    }
    return null;
  }

  private static boolean refused(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }

  /** The load's shape, not a synchronisation: sleeps through the quiet gap, until the next burst begins. */
  private static void sleepUntilNextBurst(long startNanos) throws InterruptedException {
    long intoPeriodMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) % PERIOD_MS;
    Thread.sleep(PERIOD_MS - intoPeriodMs);
  }

  /** Polls, bounded, until the load has had {@code answers} answers. */
  private static void awaitAnswers(Counts counts, int answers, long until) throws InterruptedException {
    while (counts.ok.get() < answers) {
      if (System.nanoTime() >= until || !counts.failed.isEmpty()) {
        throw new AssertionError("no steady load before the signal: " + counts.ok.get() + " answers, failures "
            + counts.failed.stream().limit(5).toList());
      }
      Thread.sleep(10);
    }
  }
}
