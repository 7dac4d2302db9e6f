package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real fat jar, real signals: exit codes, HTTP answers and the summary line of each way to stop. */
public class ServiceProcessIT {

  static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
  /** Fast jobs and loopback only, so a test never waits long for the worker. */
  static final String FAST = "\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
      + "\"worker\":{\"intervalMs\":100,\"jobMs\":50}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  static void assertSummary(ServiceProcess service, String reason, int exit) {
    String last = service.lastLine();
    assertTrue(last.matches(".*service stopped: reason=" + reason + ", exit=" + exit + ", took=\\d+ms.*"),
        "last line was: " + last + "\nwhole output:\n" + String.join("\n", service.stdout()));
  }

  @Test
  void sigterm_stops_gracefully_with_exit_0_and_logs_each_step_in_order() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + "}");
    int port = service.awaitPort();
    assertEquals(200, Http.get(port, "/").statusCode());
    service.awaitLine("background job #1 done", EXIT_TIMEOUT);

    service.signal("TERM");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "signal:SIGTERM", 0);
    assertInOrder(service.stdout(), "signal received: SIGTERM", "http draining", "http quiet", "http listener closed",
        "http stopped in", "worker stopped after", "all components stopped", "service stopped");
  }

  @Test
  void sigint_stops_gracefully_with_exit_0() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + "}");
    service.awaitPort();

    service.signal("INT");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "signal:SIGINT", 0);
  }

  @Test
  void request_in_flight_at_sigterm_completes_before_exit_0() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + "}");
    int port = service.awaitPort();
    CompletableFuture<HttpResponse<String>> slow = Http.getAsync(port, "/timeout?ms=1500");
    awaitInFlight(port);

    service.signal("TERM");

    HttpResponse<String> answer = slow.get(20, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode());
    assertEquals("waited 1500 ms", answer.body());
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
  }

  @Test
  void request_longer_than_the_deadline_is_cut_off_with_exit_124_at_the_deadline() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + ",\"shutdown\":{\"timeoutMs\":1000}}");
    int port = service.awaitPort();
    Http.getAsync(port, "/timeout?ms=30000");
    awaitInFlight(port);

    ServiceProcess.Exit exit = service.signalAndAwaitExit("TERM", EXIT_TIMEOUT);

    assertEquals(124, exit.code());
    assertSummary(service, "deadline", 124);
    assertTrue(service.lastLine().endsWith("busy=http"), service.lastLine());
    assertTrue(exit.tookMs() >= 1000 && exit.tookMs() < 1000 + 2000, "signal to exit took " + exit.tookMs() + " ms");
  }

  @Test
  void port_already_taken_exits_15_naming_http() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServiceProcess service = services.jar("{\"http\":{\"host\":\"127.0.0.1\",\"port\":" + taken.getLocalPort() + "}}");

      assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
      assertSummary(service, "deploy-failure:http", 15);
      assertTrue(service.stdout().stream().anyMatch(l -> l.contains("worker undeployed after a failed start")),
          "the worker that had started is undeployed");
    }
  }

  @Test
  void worker_start_failure_exits_15_naming_worker() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + ",\"simulate\":{\"workerStartFailure\":true}}");

    assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "deploy-failure:worker", 15);
    assertTrue(service.stdout().stream().anyMatch(l -> l.contains("http undeployed after a failed start")),
        "the http component that had started is undeployed");
  }

  @Test
  void post_shutdown_stops_everything_with_exit_1() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + ",\"admin\":{\"shutdownEndpoint\":true,\"token\":\"t0ken\"}}");
    int port = service.awaitPort();

    assertEquals(202, Http.post(port, "/shutdown", "Bearer t0ken").statusCode());

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "failure:http", 1);
    assertInOrder(service.stdout(), "http failed", "http stopped in", "worker stopped after", "service stopped");
  }

  @Test
  void worker_crash_stops_everything_with_exit_1() throws Exception {
    ServiceProcess service = services.jar("{" + FAST + ",\"simulate\":{\"workerFailAfterJobs\":2}}");
    service.awaitPort();

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "failure:worker", 1);
    assertInOrder(service.stdout(), "background job #2 done", "worker failed", "http stopped in", "service stopped");
  }

  @Test
  void config_file_and_environment_both_apply_with_env_winning(@TempDir Path dir) throws Exception {
    // Every value differs from its default, so a layer that is ignored shows in the log.
    Path file = Files.writeString(dir.resolve("service.json"), "{\"http\":{\"host\":\"0.0.0.0\",\"port\":8080},"
        + "\"worker\":{\"intervalMs\":5000,\"jobMs\":50}}");
    ServiceProcess service = services.jar(
        Map.of("SERVICE_HTTP_PORT", "0", "SERVICE_HTTP_HOST", "127.0.0.1", "SERVICE_WORKER_INTERVAL_MS", "100"),
        "-conf", file.toString());
    int port = service.awaitPort();
    assertEquals("Hello world", Http.get(port, "/").body());
    assertTrue(port != 8080, "SERVICE_HTTP_PORT=0 wins over the file's 8080");
    service.awaitLine("http listening on 127.0.0.1:" + port, EXIT_TIMEOUT);
    // jobMs only in the file, intervalMs in both: the variable wins.
    service.awaitLine("worker started: a 50 ms job every 100 ms", EXIT_TIMEOUT);
    service.signal("TERM");
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
  }

  static void assertInOrder(List<String> lines, String... fragments) {
    int from = 0;
    for (String fragment : fragments) {
      int found = -1;
      for (int i = from; i < lines.size(); i++) {
        if (lines.get(i).contains(fragment)) {
          found = i;
          break;
        }
      }
      assertTrue(found >= 0, "'" + fragment + "' missing after line " + from + " in:\n" + String.join("\n", lines));
      from = found + 1;
    }
  }

  /**
   * Waits until the service has received the one request sent before this call (so a signal sent next
   * finds it in flight). /status counts every request it receives, these polls included.
   */
  static void awaitInFlight(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int polls = 1; System.nanoTime() < deadline; polls++) {
      long received = new JsonObject(Http.get(port, "/status").body()).getJsonObject("http").getLong("requests");
      if (received - polls >= 1) {
        return;
      }
      Thread.sleep(5); // a bounded poll, not a synchronisation: the loop ends on what it sees
    }
    throw new AssertionError("the request never arrived");
  }
}
