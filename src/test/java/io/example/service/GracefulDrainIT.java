package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Zero-downtime shutdown under real traffic: nothing that reached the service is lost. */
public class GracefulDrainIT {

  static final int CLIENTS = 16;
  static final long DRAIN_DELAY_MS = 1000;

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  /** With a drain delay, as in Kubernetes; and without one, where only the request counter shows the load. */
  @ParameterizedTest(name = "drainDelayMs={0}")
  @ValueSource(longs = {DRAIN_DELAY_MS, 0})
  void no_request_is_lost_when_sigterm_arrives_under_keep_alive_load(long drainDelayMs) throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
        + "\"shutdown\":{\"drainDelayMs\":" + drainDelayMs + "}}");
    int port = service.awaitPort();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    List<KeepAliveClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      KeepAliveClient client = new KeepAliveClient(port, until, 200_000);
      clients.add(client);
      Thread thread = new Thread(client, "load-" + i);
      threads.add(thread);
      thread.start();
    }
    service.awaitLine("background job #1 done", EXIT_TIMEOUT); // two seconds of steady load

    long signalled = System.nanoTime();
    service.signal("TERM");
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
    }

    int ok = clients.stream().mapToInt(c -> c.ok).sum();
    long refused = clients.stream().mapToLong(c -> c.refused.size()).sum();
    List<String> failed = clients.stream().flatMap(c -> c.failed.stream()).toList();
    System.out.printf("drain under load, drainDelayMs=%d: ok=%d refused=%d failed=%d%n",
        drainDelayMs, ok, refused, failed.size());
    assertEquals(List.of(), failed, "requests written to an open connection must all get a complete 200");
    assertTrue(ok > 1000, "steady load before and during the drain: " + ok);
    long earliestRefusalMs = clients.stream().flatMap(c -> c.refused.stream())
        .mapToLong(r -> TimeUnit.NANOSECONDS.toMillis(r.atNanos() - signalled)).min().orElse(Long.MAX_VALUE);
    assertTrue(earliestRefusalMs >= drainDelayMs, "refused only once the listener closed, after the drain "
        + "delay; first refusal at +" + earliestRefusalMs + " ms");
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void readiness_fails_while_requests_are_still_served_during_the_drain_delay() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"shutdown\":{\"drainDelayMs\":2000}}");
    int port = service.awaitPort();
    assertEquals(200, Http.get(port, "/readyz").statusCode());

    service.signal("TERM");
    service.awaitLine("http draining", EXIT_TIMEOUT);

    HttpResponse<String> readiness = Http.get(port, "/readyz");
    assertEquals(503, readiness.statusCode());
    assertEquals("{\"status\":\"DRAINING\"}", readiness.body());
    HttpResponse<String> hello = Http.get(port, "/");
    assertEquals(200, hello.statusCode());
    assertEquals("close", hello.headers().firstValue("connection").orElse(""));
    assertEquals(200, Http.get(port, "/healthz").statusCode());
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
  }

  @Test
  void two_second_request_in_flight_at_sigterm_completes_with_200() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0}}");
    int port = service.awaitPort();
    CompletableFuture<HttpResponse<String>> slow = Http.getAsync(port, "/timeout?ms=2000");
    ServiceProcessIT.awaitInFlight(port);

    service.signal("TERM");

    assertEquals(200, slow.get(20, TimeUnit.SECONDS).statusCode());
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void two_second_job_running_at_sigterm_finishes_before_exit_0() throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0},"
        + "\"worker\":{\"intervalMs\":100,\"jobMs\":2000}}");
    service.awaitPort();
    awaitJobRunning(service);

    service.signal("TERM");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    List<String> lines = service.stdout();
    int jobDone = indexOf(lines, "background job #1 done");
    int workerStopped = indexOf(lines, "worker stopped after 1 jobs");
    assertTrue(jobDone >= 0 && jobDone < workerStopped, String.join("\n", lines));
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void second_sigterm_during_shutdown_halts_at_once_with_143() throws Exception {
    secondSignalHalts("TERM", 143, "forced:SIGTERM");
  }

  @Test
  void second_sigint_during_shutdown_halts_at_once_with_130() throws Exception {
    secondSignalHalts("INT", 130, "forced:SIGINT");
  }

  private void secondSignalHalts(String signal, int exit, String reason) throws Exception {
    ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":0},\"shutdown\":{\"timeoutMs\":30000}}");
    int port = service.awaitPort();
    Http.getAsync(port, "/timeout?ms=30000");
    ServiceProcessIT.awaitInFlight(port);
    service.signal(signal);
    service.awaitLine("http listener closed", EXIT_TIMEOUT); // the graceful stop is waiting on that request

    ServiceProcess.Exit second = service.signalAndAwaitExit(signal, EXIT_TIMEOUT);

    assertEquals(exit, second.code());
    assertTrue(second.tookMs() < 2000, "halted at once, not at the 30 s deadline: " + second.tookMs() + " ms");
    assertSummary(service, reason, exit);
  }

  private static void awaitJobRunning(ServiceProcess service) throws Exception {
    int port = service.awaitPort();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Http.get(port, "/status").body().contains("\"jobRunning\":true")) {
      assertTrue(System.nanoTime() < deadline, "no job started");
      Thread.sleep(10); // a bounded poll
    }
  }

  private static int indexOf(List<String> lines, String fragment) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(fragment)) {
        return i;
      }
    }
    return -1;
  }
}
