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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zero loss for the JDK's own HttpClient on HTTP/2 across a SIGTERM. Before JDK 24 (JDK-8335181) that client
 * fails every stream still active on a connection when any GOAWAY arrives, even one that promises to serve
 * them; it is what a Java caller gets by default, h2c included, since {@code newHttpClient()} prefers HTTP/2.
 *
 * <p>Like a caller behind a layer-4 balancer, 32 threads send GETs with idle pauses of 0-20 ms (so that the
 * connection falls idle at times) and go on sending through the whole drain. Which requests may fail: only
 * those whose connect is refused, because the listener has closed. Such a request never reached the service,
 * and a real caller's next connect goes to another instance. A thread stops at its first refusal. Every other
 * request must get a 200, and above all none may fail with "GOAWAY received" once sent.
 */
public class JdkHttp2DrainIT {

  static final int THREADS = 32;
  static final int MAX_PAUSE_MS = 20;
  static final long DRAIN_DELAY_MS = 500;
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
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(LOAD_LIMIT_S);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      running.add(threads.submit(() -> sendUntilRefused(client, get, counts, until)));
    }
    awaitAnswers(counts, WARM_UP_ANSWERS, until);

    counts.signalledNanos = System.nanoTime();
    service.signal("TERM");
    for (var thread : running) {
      thread.get(LOAD_LIMIT_S + 5, TimeUnit.SECONDS);
    }
    threads.shutdown();
    int exit = service.awaitExit(EXIT_TIMEOUT);

    System.out.printf("jdk h2c drain, drainDelayMs=%d: sent=%d ok=%d http2=%d goaway=%d other_failed=%d refused=%d "
            + "begun_before_signal=%d answered=%d begun_after_signal=%d exit=%d%n", DRAIN_DELAY_MS,
        counts.ok.get() + counts.goAway.get() + counts.failed.size() + counts.refused.get(), counts.ok.get(),
        counts.http2.get(), counts.goAway.get(), counts.failed.size() - counts.goAway.get(), counts.refused.get(),
        counts.begunBeforeSignal.get(), counts.answeredBeforeSignal.get(), counts.begunAfterSignal.get(), exit);
    assertEquals(0, counts.goAway.get(), "requests failed with GOAWAY received: " + counts.failed.stream().limit(5).toList());
    assertEquals(0, counts.failed.size(), "requests that reached the service must get a 200; the first failures: "
        + counts.failed.stream().limit(5).toList());
    assertEquals(counts.begunBeforeSignal.get(), counts.answeredBeforeSignal.get(),
        "every request begun before the signal is answered");
    assertTrue(counts.http2.get() > counts.ok.get() / 2, "the load ran on HTTP/2: " + counts.http2.get());
    assertTrue(counts.begunAfterSignal.get() > 100, "the load went on during the drain: " + counts.begunAfterSignal.get());
    assertEquals(0, exit);
    assertSummary(service, "signal:SIGTERM", 0);
  }

  /** GETs with idle pauses, until a connect is refused, the time is up, or the count is reached. */
  private static Void sendUntilRefused(HttpClient client, HttpRequest get, Counts counts, long until)
      throws InterruptedException {
    for (int i = 0; i < MAX_REQUESTS_PER_THREAD && System.nanoTime() < until; i++) {
      // The pause is the load's shape, not a synchronisation: it lets the connection fall idle at times.
      Thread.sleep(ThreadLocalRandom.current().nextInt(MAX_PAUSE_MS + 1));
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
        counts.failed.add((beforeSignal ? "begun before the signal: " : "") + e);
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
