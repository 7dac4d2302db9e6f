package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code http.accessLog}: one line per request when on, in text and in JSON; not one when off. */
public class AccessLogIT {

  /** {@code 127.0.0.1 "GET /path HTTP/1.1" 200 11 0.412 ms} after the logger's name. */
  private static final Pattern TEXT_LINE =
      Pattern.compile("AccessLog - 127\\.0\\.0\\.1 \"(\\S+) (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+) \\d+\\.\\d+ ms$");
  private static final List<String> PATHS = List.of("/", "/healthz", "/nope", "/?user=ann");

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void on_logs_one_text_line_per_request_with_method_path_and_status() throws Exception {
    List<String> lines = run(",\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"accessLog\":true}}", "text");

    List<String> access = lines.stream().filter(line -> line.contains("AccessLog - ")).toList();
    assertEquals(PATHS.size(), access.size(), String.join("\n", lines));
    for (int i = 0; i < PATHS.size(); i++) {
      Matcher m = TEXT_LINE.matcher(access.get(i));
      assertTrue(m.find(), access.get(i));
      assertEquals("GET", m.group(1));
      assertEquals(PATHS.get(i), m.group(2));
      assertEquals(PATHS.get(i).equals("/nope") ? "404" : "200", m.group(3));
    }
  }

  @Test
  void on_in_json_mode_gives_the_request_as_fields() throws Exception {
    List<String> lines = run(",\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"accessLog\":true}}", "json");

    List<JsonObject> access = LogFormatIT.parseAll(lines).stream()
        .filter(line -> line.getString("logger").endsWith(".AccessLog")).toList();
    assertEquals(PATHS.size(), access.size(), String.join("\n", lines));
    for (int i = 0; i < PATHS.size(); i++) {
      JsonObject line = access.get(i);
      assertEquals("GET", line.getString("method"));
      assertEquals(PATHS.get(i), line.getString("uri"));
      assertEquals(PATHS.get(i).equals("/nope") ? 404 : 200, line.getInteger("status"));
      assertEquals("HTTP/1.1", line.getString("version"));
      assertEquals("127.0.0.1", line.getString("remote"));
      assertTrue(line.getValue("bytes") instanceof Number && line.getValue("duration_ms") instanceof Number, line.encode());
    }
  }

  @Test
  void off_by_default_logs_no_request() throws Exception {
    List<String> lines = run(",\"http\":{\"host\":\"127.0.0.1\",\"port\":0}}", "text");

    assertTrue(lines.stream().noneMatch(line -> line.contains("AccessLog")), String.join("\n", lines));
  }

  /** Starts the service, sends {@link #PATHS} one after the other, stops it, and returns all of its stdout. */
  private List<String> run(String http, String format) throws Exception {
    ServiceProcess service = services.jar("{\"log\":{\"format\":\"" + format + "\"}" + http);
    int port = service.awaitPort();
    for (String path : PATHS) {
      Http.get(port, path);
    }
    service.signal("TERM");
    assertEquals(0, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    return service.stdout();
  }
}
