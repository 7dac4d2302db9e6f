package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code startup.warmupMs} on the real jar: the warm-up comes between "listening" and READY, readiness
 * says STARTING during it, its requests are counted nowhere, a signal ends it at once with exit 0, and
 * "auto" turns it on only on Kubernetes.
 */
public class WarmupIT {

  /** The line the benchmark reads, as README documents it. */
  static final Pattern RESULT = Pattern.compile("warm-up: took (\\d+) ms, (\\d+) requests on (\\d+) connections, "
      + "last window (\\d+) req/s, (\\d+)/(\\d+) event loops, ended by (\\S+)");
  private static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2,\"accessLog\":true},"
      + "\"startup\":{\"warmupMs\":%d}}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void warm_up_runs_before_ready_on_every_event_loop_and_counts_nowhere() throws Exception {
    ServiceProcess service = services.jar(String.format(CONF, 1500));
    int port = service.awaitPort();
    service.awaitLine("warm-up: at most 1500 ms", EXIT_TIMEOUT);
    HttpResponse<String> during = Http.get(port, "/readyz"); // the warm-up lasts at least a second

    Matcher result = RESULT.matcher(service.awaitLine(RESULT.asPredicate(), EXIT_TIMEOUT));
    service.awaitLine("service ready in", EXIT_TIMEOUT);
    assertEquals(503, during.statusCode());
    assertEquals("{\"status\":\"STARTING\"}", during.body());
    assertTrue(result.find());
    assertTrue(Long.parseLong(result.group(2)) > 100, "requests: " + result.group());
    assertEquals("2", result.group(5), "every event loop served warm-up requests: " + result.group());
    assertInOrder(service.stdout(), "http listening on", "warm-up: at most", "warm-up: took", "service ready in");
    assertEquals(200, Http.get(port, "/readyz").statusCode());

    JsonObject status = new JsonObject(Http.get(port, "/status").body());
    Scrape scrape = Scrape.parse(Http.get(port, "/metrics").body());
    assertEquals(3, status.getJsonObject("http").getLong("requests"), "our two /readyz and this /status");
    assertEquals(3.0, scrape.value("vertx_http_server_requests_total"), "the same three, answered");
    assertTrue(status.getJsonObject("http").getJsonObject("rejected").stream().allMatch(e -> ((Number) e.getValue()).longValue() == 0));
    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    List<String> access = service.stdout().stream().filter(line -> line.contains("AccessLog - ")).toList();
    assertEquals(4, access.size(), "one line per request of ours: " + access);
    assertTrue(access.stream().noneMatch(line -> line.contains("warm-up")), String.valueOf(access));
  }

  @Test
  void sigterm_during_the_warm_up_ends_it_at_once_and_exits_0() throws Exception {
    ServiceProcess service = services.jar(String.format(CONF, 20_000));
    service.awaitLine("warm-up: at most 20000 ms", EXIT_TIMEOUT);

    ServiceProcess.Exit exit = service.signalAndAwaitExit("TERM", EXIT_TIMEOUT);

    assertEquals(0, exit.code());
    assertTrue(exit.tookMs() < 5000, "signal to exit took " + exit.tookMs() + " ms");
    service.awaitLine("ended by signal", Duration.ZERO);
    assertFalse(service.stdout().stream().anyMatch(line -> line.contains("service ready in")), "never ready");
    assertTrue(service.lastLine().contains("reason=signal:SIGTERM, exit=0"), service.lastLine());
  }

  @Test
  void auto_warms_up_on_kubernetes_only() throws Exception {
    String conf = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},"
        + "\"shutdown\":{\"timeoutMs\":5000,\"drainDelayMs\":0}}";
    ServiceProcess local = services.jar(Map.of(), "-conf", conf);
    ServiceProcess pod = services.jar(AutoShutdownIT.K8S, "-conf", conf);

    pod.awaitLine(RESULT.asPredicate(), EXIT_TIMEOUT);
    pod.awaitLine("service ready in", EXIT_TIMEOUT);
    local.awaitLine("service ready in", EXIT_TIMEOUT);
    assertFalse(local.stdout().stream().anyMatch(line -> line.contains("warm-up")), String.join("\n", local.stdout()));
    pod.awaitLine("warm-up: at most 2500 ms", Duration.ZERO);
    assertEquals(0, local.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    assertEquals(0, pod.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
  }

  private static void assertInOrder(List<String> lines, String... fragments) {
    int at = -1;
    for (String fragment : fragments) {
      int found = -1;
      for (int i = at + 1; i < lines.size(); i++) {
        if (lines.get(i).contains(fragment)) {
          found = i;
          break;
        }
      }
      assertTrue(found > at, fragment + " after line " + at + " in:\n" + String.join("\n", lines));
      at = found;
    }
  }
}
