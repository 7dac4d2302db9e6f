package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics} of the real jar: the state as the stop moves it, and the stock launcher's meters. */
public class MetricsIT {

  private static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},"
      + "\"worker\":{\"intervalMs\":100,\"jobMs\":50},\"shutdown\":{\"timeoutMs\":4000,\"drainDelayMs\":1000}}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void service_state_moves_from_ready_to_draining_during_the_drain() throws Exception {
    ServiceProcess service = services.jar(CONF);
    int port = service.awaitPort();
    assertEquals(1.0, scrape(port).value("service_state{state=\"READY\"}"));

    service.signal("TERM");
    service.awaitLine("http draining", EXIT_TIMEOUT);

    // Within the one-second drain delay, requests (and scrapes) are still served.
    Scrape draining = scrape(port);
    assertEquals(1.0, draining.value("service_state{state=\"DRAINING\"}"), draining.toString());
    assertEquals(0.0, draining.value("service_state{state=\"READY\"}"));
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "signal:SIGTERM", 0);
  }

  @Test
  void stock_launcher_with_the_options_file_has_vertx_http_meters() throws Exception {
    Path options = Path.of(System.getProperty("service.conf.dir", "conf"), "vertx-options.json");
    ServiceProcess service = services.command(stockLauncher("-options", options.toString()), null);
    int port = service.awaitPort();
    Http.get(port, "/");

    Scrape scrape = scrape(port);
    assertTrue(scrape.value("vertx_http_server_requests_total") >= 1, scrape.toString());
    assertNotNull(scrape.value("service_state{state=\"READY\"}"));
    stopCleanly(service);
  }

  @Test
  void stock_launcher_without_options_still_has_the_service_meters() throws Exception {
    ServiceProcess service = services.command(stockLauncher(), null);
    int port = service.awaitPort();

    Scrape scrape = scrape(port);
    assertEquals(1.0, scrape.value("service_state{state=\"READY\"}"));
    assertTrue(scrape.has("jvm_memory_used_bytes"));
    assertFalse(scrape.has("vertx_http_server_requests_total"), "Vert.x was built without metrics there");
    stopCleanly(service);
  }

  private static void stopCleanly(ServiceProcess service) throws Exception {
    service.signal("TERM");
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
  }

  private static List<String> stockLauncher(String... extra) {
    List<String> command = new ArrayList<>(List.of(ServiceProcess.JAVA.toString(), "-cp",
        ServiceProcess.JAR.toAbsolutePath().toString(), "io.vertx.core.Launcher", "run",
        SupervisorVerticle.class.getName(), "-conf", CONF));
    command.addAll(List.of(extra));
    return command;
  }

  private static Scrape scrape(int port) throws Exception {
    var response = Http.get(port, "/metrics");
    assertEquals(200, response.statusCode());
    return Scrape.parse(response.body());
  }
}
