package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code log.format}: every stdout line of a whole run is one JSON object, or the text line exactly as before. */
public class LogFormatIT {

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void json_mode_prints_only_json_lines_and_the_summary_carries_reason_exit_and_took_ms() throws Exception {
    ServiceProcess service = services.jar("{" + ServiceProcessIT.FAST + ",\"log\":{\"format\":\"json\"}}");
    int port = service.awaitPort();
    assertEquals(200, Http.get(port, "/").statusCode());
    service.awaitLine("background job #1 done", ServiceProcessIT.EXIT_TIMEOUT);

    service.signal("TERM");

    assertEquals(0, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    List<JsonObject> lines = parseAll(service.stdout());
    assertTrue(lines.size() >= 8, "start, a job and the stop: " + service.stdout());
    for (JsonObject line : lines) {
      for (String field : List.of("timestamp", "level", "logger", "thread", "message")) {
        assertTrue(line.getValue(field) instanceof String, field + " in " + line);
      }
    }
    JsonObject summary = lines.get(lines.size() - 1);
    assertEquals("io.example.service.edge.ProcessExit", summary.getString("logger"));
    assertEquals("signal:SIGTERM", summary.getString("reason"));
    assertEquals(0, summary.getInteger("exit"));
    assertTrue(summary.getValue("took_ms") instanceof Number, summary.encode());
    assertTrue(summary.getString("message").startsWith("service stopped: reason=signal:SIGTERM, exit=0, took="));
  }

  @Test
  void json_mode_under_the_stock_launcher_prints_only_json_lines_too() throws Exception {
    ServiceProcess service = services.command(List.of(ServiceProcess.JAVA.toString(), "-cp",
        ServiceProcess.JAR.toAbsolutePath().toString(), "io.vertx.core.Launcher", "run", SupervisorVerticle.class.getName(),
        "-conf", "{" + ServiceProcessIT.FAST + ",\"log\":{\"format\":\"json\"}}"), null);
    service.awaitPort();

    service.signal("TERM");

    assertEquals(0, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    List<JsonObject> lines = parseAll(service.stdout());
    assertTrue(lines.stream().anyMatch(line -> line.getString("logger").startsWith("io.vertx.core.impl.launcher")),
        "the launcher's own line, logged after the switch: " + service.stdout());
    JsonObject summary = lines.get(lines.size() - 1);
    assertEquals("signal:SIGTERM", summary.getString("reason"));
    assertEquals(0, summary.getInteger("exit"));
  }

  @Test
  void json_from_the_variable_applies_before_the_config_is_read_even_to_a_config_error() throws Exception {
    ServiceProcess service = services.jar(Map.of("SERVICE_LOG_FORMAT", "json"), "-conf", "{\"http\":{\"port\":70000}}");

    assertEquals(2, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    JsonObject summary = new JsonObject(service.lastLine());
    assertEquals("config", summary.getString("reason"));
    assertEquals(2, summary.getInteger("exit"));
    assertTrue(service.stderr().get(0).startsWith("config error: http.port: "), service.stderr().toString());
  }

  @Test
  void text_mode_summary_line_is_exactly_as_before() throws Exception {
    ServiceProcess service = services.jar("{" + ServiceProcessIT.FAST + "}");
    service.awaitPort();

    service.signal("TERM");

    assertEquals(0, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    String last = service.lastLine();
    assertTrue(last.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO  \\[main\\] ProcessExit - "
        + "service stopped: reason=signal:SIGTERM, exit=0, took=\\d+ms"), last);
    assertFalse(service.stdout().stream().anyMatch(line -> line.startsWith("{")), "no JSON in text mode");
  }

  @Test
  void bad_log_format_is_a_config_error_naming_the_key() throws Exception {
    ServiceProcess service = services.jar("{\"log\":{\"format\":\"xml\"}}");

    assertEquals(2, service.awaitExit(ServiceProcessIT.EXIT_TIMEOUT));
    assertEquals(List.of("config error: log.format: must be \"text\" or \"json\", got \"xml\""), service.stderr());
  }

  static List<JsonObject> parseAll(List<String> stdout) {
    List<JsonObject> parsed = new ArrayList<>();
    for (String line : stdout) {
      try {
        parsed.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON object: " + line, e);
      }
    }
    return parsed;
  }
}
