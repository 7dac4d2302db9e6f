package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code management.port} on the real jar: the operational endpoints move to their own listener (404 on the
 * public port, {@code /healthz} on both), that listener answers probes and scrapes through the whole stop,
 * it takes bad traffic like the public port, and it is a component like the others.
 */
public class ManagementListenerIT {

  private static final Pattern MANAGEMENT_PORT = Pattern.compile("management listening on \\S+:(\\d+)");
  private static final String LOOPBACK = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2},"
      + "\"management\":{\"host\":\"127.0.0.1\",\"port\":%s}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();
  private String lastText = ""; // the last probe's answer, head and body

  @Test
  void operational_endpoints_are_served_on_the_management_port_only_and_healthz_on_both() throws Exception {
    ServiceProcess service = services.jar(String.format(LOOPBACK, 0) + "}");
    int port = service.awaitPort();
    int management = managementPort(service);

    for (String path : List.of("/readyz", "/status", "/metrics")) {
      assertEquals(404, Http.get(port, path).statusCode(), "public " + path);
      assertEquals(200, Http.get(management, path).statusCode(), "management " + path);
    }
    assertEquals(404, Http.post(port, "/shutdown").statusCode(), "public POST /shutdown");
    assertEquals(200, Http.get(port, "/healthz").statusCode());
    assertEquals(200, Http.get(management, "/healthz").statusCode());
    assertEquals("Hello world", Http.get(port, "/").body());
    assertEquals(404, Http.get(management, "/").statusCode(), "the API stays on the public port");
    assertEquals(404, Http.get(management, "/timeout?ms=1").statusCode());
    JsonObject status = new JsonObject(Http.get(management, "/status").body());
    assertEquals(new JsonObject().put("enabled", true).put("port", management), status.getJsonObject("management"));
    assertEquals(port, status.getJsonObject("http").getInteger("port"));

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    assertSummary(service, "signal:SIGTERM", 0);
    assertInOrder(service.stdout(), "http stopped in", "worker stopped in", "management stopped in", "metrics stopped in");
  }

  @Test
  void bad_traffic_on_the_management_port_gets_4xx_is_counted_and_logs_no_error() throws Exception {
    ServiceProcess service = services.jar(String.format(LOOPBACK, 0) + "}");
    service.awaitPort();
    int management = managementPort(service);
    Map<String, Integer> expected = new TreeMap<>(Map.of("missing_host", 1, "malformed_query", 1,
        "body_too_large", 1, "bad_request", 1));

    assertEquals(400, RawHttp.exchange(management, "GET /status HTTP/1.1\r\n\r\n", 5000, false).status());
    assertEquals(400, RawHttp.exchange(management, "GET /status?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n", 5000, false).status());
    assertEquals(413, RawHttp.exchange(management, "POST /shutdown HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n",
        5000, true).status());
    assertEquals(400, RawHttp.exchange(management, "\u0016\u0003\u0001 hello\r\n\r\n", 5000, true).status());

    JsonObject rejected = new JsonObject(Http.get(management, "/status").body()).getJsonObject("http")
        .getJsonObject("rejected");
    Map<String, Integer> counted = new TreeMap<>();
    rejected.forEach(entry -> {
      if (((Number) entry.getValue()).intValue() > 0) {
        counted.put(entry.getKey(), ((Number) entry.getValue()).intValue());
      }
    });
    assertEquals(expected, counted);
    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    List<String> output = new ArrayList<>(service.stdout());
    output.addAll(service.stderr());
    assertEquals(List.of(), output.stream().filter(line -> line.contains(" ERROR ") || line.startsWith("\tat ")
        || line.contains("Exception")).toList(), String.join("\n", output));
  }

  /**
   * A drain that lasts: a 1 s drain delay, keep-alive load and a 2.5 s request in flight on the public port.
   * From the SIGTERM until the process is gone, each round opens a new connection to the management port for
   * /healthz, /metrics and /readyz. Every answer is 200 (/readyz: 503 from the first 503 on), and a connection
   * is refused, or closed unanswered, only once the management listener's own turn in the stop has come, after
   * http and the worker, as the log's clock says.
   */
  @Test
  void probes_and_scrapes_on_the_management_port_answer_200_through_a_sigterm_drain_under_load() throws Exception {
    ServiceProcess service = services.jar(String.format(LOOPBACK, 0) + ",\"shutdown\":{\"drainDelayMs\":1000}}");
    int port = service.awaitPort();
    int management = managementPort(service);
    CompletableFuture<HttpResponse<String>> slow = Http.getAsync(port, "/timeout?ms=2500");
    awaitPublicRequest(management);
    List<Thread> load = startLoad(port, 4, System.nanoTime() + TimeUnit.SECONDS.toNanos(15));

    service.signal("TERM");
    List<String> answers = new ArrayList<>();
    List<Instant> gone = new ArrayList<>();
    boolean draining = false;
    int answeredWhileDraining = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (int round = 0; round < 2000 && service.alive() && System.nanoTime() < deadline; round++) {
      for (String path : List.of("/healthz", "/metrics", "/readyz")) {
        int status = probe(management, path);
        if (status <= 0) {
          gone.add(Instant.now()); // the listener has gone; the checks below say whether it was time
          break;
        }
        draining |= path.equals("/readyz") && status == 503;
        answeredWhileDraining += draining ? 1 : 0;
        if (status != (path.equals("/readyz") && draining ? 503 : 200)) {
          answers.add(path + " " + status);
        }
        if (path.equals("/metrics") && !lastText.contains("service_state{")) {
          answers.add("/metrics without the service's meters"); // the registry must outlive the listener
        }
      }
      TimeUnit.MILLISECONDS.sleep(10); // paces the probes; the loop is bounded in rounds and time
    }
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    for (Thread thread : load) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
    }

    assertEquals(200, slow.get(5, TimeUnit.SECONDS).statusCode(), "the drain waited for the slow request");
    assertEquals(List.of(), answers, "every probe and scrape answered as it should during the drain");
    System.out.printf("management port during the drain: %d answers once draining, %d refused or unanswered%n",
        answeredWhileDraining, gone.size());
    assertTrue(answeredWhileDraining >= 30, "probed throughout a drain of 2.5 s: " + answeredWhileDraining);
    Instant managementStopped = logTime(service.awaitLine("management stopped in", Duration.ofSeconds(1)));
    for (Instant refused : gone) {
      assertTrue(!refused.isBefore(managementStopped), "a connection refused or unanswered at " + refused
          + ", before the management listener's turn at " + managementStopped);
    }
    assertInOrder(service.stdout(), "http stopped in", "worker stopped in", "management stopped in", "metrics stopped in");
    assertSummary(service, "signal:SIGTERM", 0);
  }

  /** Clustered (one member of its own), the listener's turn comes after the member has left the cluster. */
  @Test
  void clustered_the_management_listener_stops_after_the_cluster_is_left() throws Exception {
    int clusterPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      clusterPort = free.getLocalPort();
    }
    ServiceProcess service = services.jar(String.format(LOOPBACK, 0) + ",\"shutdown\":{\"timeoutMs\":20000},"
        + "\"cluster\":{\"enabled\":true,\"host\":\"127.0.0.1\",\"port\":" + clusterPort
        + ",\"members\":[\"127.0.0.1:" + clusterPort + "\"]}}");
    service.awaitPort();
    int management = managementPort(service);
    assertEquals(1, new JsonObject(Http.get(management, "/status").body()).getJsonObject("cluster").getInteger("members"));

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    assertInOrder(service.stdout(), "http stopped in", "worker stopped in", "cluster stopped in", "management stopped in",
        "metrics stopped in");
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void a_management_port_in_use_fails_the_start_naming_management() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ServiceProcess service = services.jar(String.format(LOOPBACK, taken.getLocalPort()) + "}");

      assertEquals(15, service.awaitExit(EXIT_TIMEOUT));
      assertSummary(service, "deploy-failure:management", 15);
    }
  }

  /**
   * The status on a new connection; 0 when the connection was refused, -1 when it was closed without an
   * answer (accepted by the kernel as the listener closed, or cut by the process's exit).
   */
  private int probe(int port, String path) throws IOException {
    try {
      RawHttp.Answer answer = RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n", 5000, false);
      lastText = answer.text();
      return answer.status();
    } catch (ConnectException refused) {
      return 0;
    } catch (SocketException cut) {
      return -1; // reset while connecting: the listener closed between the kernel's accept and ours
    }
  }

  /** Waits until the public port has received a request: the management port's own are not counted there. */
  private static void awaitPublicRequest(int management) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (new JsonObject(Http.get(management, "/status").body()).getJsonObject("http").getLong("requests") < 1) {
      assertTrue(System.nanoTime() < deadline, "the request never arrived");
      TimeUnit.MILLISECONDS.sleep(5); // a bounded poll: the loop ends on what it sees
    }
  }

  private static List<Thread> startLoad(int port, int clients, long untilNanos) {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Thread thread = new Thread(new KeepAliveClient(port, untilNanos, 100_000), "load-" + i);
      threads.add(thread);
      thread.start();
    }
    return threads;
  }

  static int managementPort(ServiceProcess service) {
    Matcher m = MANAGEMENT_PORT.matcher(service.awaitLine(MANAGEMENT_PORT.asPredicate(), EXIT_TIMEOUT));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  /** A text log line starts with its UTC timestamp, from the same wall clock as this test's. */
  private static Instant logTime(String line) {
    return Instant.parse(line.substring(0, line.indexOf(' ')));
  }

  private static void assertInOrder(List<String> lines, String... fragments) {
    int at = -1;
    for (String fragment : fragments) {
      int found = -1;
      for (int i = at + 1; i < lines.size() && found < 0; i++) {
        found = lines.get(i).contains(fragment) ? i : -1;
      }
      assertTrue(found > at, fragment + " after the ones before it:\n" + String.join("\n", lines));
      at = found;
    }
  }
}
