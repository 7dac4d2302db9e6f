package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertInOrder;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /shutdown} on the real jar. Every caller here comes from loopback, as every caller does behind a
 * sidecar proxy: only the admin token stops the service, and the token is printed nowhere.
 */
public class AdminTokenIT {

  private static final String TOKEN = "it-Secret-7f3a9c51";
  private static final String ENDPOINT_ON = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":2,"
      + "\"accessLog\":true},\"worker\":{\"intervalMs\":100,\"jobMs\":50},\"admin\":{\"shutdownEndpoint\":true}}";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void only_the_right_token_stops_the_service_and_the_token_is_printed_nowhere() throws Exception {
    ServiceProcess service = services.jar(Map.of("SERVICE_ADMIN_TOKEN", TOKEN), "-conf", ENDPOINT_ON);
    int port = service.awaitPort();

    HttpResponse<String> none = Http.post(port, "/shutdown");
    HttpResponse<String> wrong = Http.post(port, "/shutdown", "Bearer " + TOKEN.substring(1));
    assertEquals(401, none.statusCode());
    assertEquals(401, wrong.statusCode());
    assertEquals("unauthorized", wrong.body(), "no detail");
    assertEquals(200, Http.get(port, "/readyz").statusCode(), "a refused caller stops nothing");
    String status = Http.get(port, "/status").body();
    assertEquals(2, new JsonObject(status).getJsonObject("http").getJsonObject("rejected").getInteger("unauthorized"));

    assertEquals(202, Http.post(port, "/shutdown", "Bearer " + TOKEN).statusCode());

    assertEquals(1, service.awaitExit(EXIT_TIMEOUT));
    assertSummary(service, "failure:http", 1);
    assertInOrder(service.stdout(), "\"POST /shutdown HTTP/1.1\" 401", "\"POST /shutdown HTTP/1.1\" 401",
        "\"POST /shutdown HTTP/1.1\" 202", "http failed", "service stopped");
    assertNowhere(TOKEN, status, service.stdout(), service.stderr());
  }

  @Test
  void shutdown_is_404_when_disabled_even_with_the_token() throws Exception {
    String conf = ENDPOINT_ON.replace("\"shutdownEndpoint\":true", "\"shutdownEndpoint\":false");
    ServiceProcess service = services.jar(Map.of("SERVICE_ADMIN_TOKEN", TOKEN), "-conf", conf);
    int port = service.awaitPort();

    assertEquals(404, Http.post(port, "/shutdown", "Bearer " + TOKEN).statusCode());
    assertEquals(404, Http.post(port, "/shutdown").statusCode());

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    assertNowhere(TOKEN, "", service.stdout(), service.stderr());
  }

  @Test
  void print_config_masks_the_token() throws Exception {
    ServiceProcess service = services.jar(Map.of("SERVICE_ADMIN_TOKEN", TOKEN), "-conf", ENDPOINT_ON, "--print-config");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    JsonObject printed = new JsonObject(String.join("\n", service.stdout()));
    assertEquals("***", printed.getJsonObject("config").getJsonObject("admin").getString("token"));
    assertEquals("env", printed.getJsonObject("sources").getString("admin.token"));
    assertNowhere(TOKEN, "", service.stdout(), service.stderr());
  }

  @Test
  void enabling_the_endpoint_without_a_token_exits_2_naming_the_key() throws Exception {
    ServiceProcess service = services.jar(ENDPOINT_ON);

    assertEquals(2, service.awaitExit(EXIT_TIMEOUT));
    assertEquals(List.of("config error: admin.token: must be set when admin.shutdownEndpoint is true"),
        service.stderr());
  }

  private static void assertNowhere(String token, String body, List<String> stdout, List<String> stderr) {
    assertFalse(body.contains(token), "in the body: " + body);
    assertTrue(stdout.stream().noneMatch(line -> line.contains(token)), "on stdout:\n" + String.join("\n", stdout));
    assertTrue(stderr.stream().noneMatch(line -> line.contains(token)), "on stderr:\n" + String.join("\n", stderr));
  }
}
