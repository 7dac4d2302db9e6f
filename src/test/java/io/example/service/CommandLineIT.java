package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --help, --version and --print-config on the real jar: what they print and their exit codes. */
public class CommandLineIT {

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void help_prints_the_usage_and_every_key_with_its_default_and_variable_and_exits_0() throws Exception {
    for (String flag : List.of("--help", "-h")) {
      ServiceProcess service = services.jar(Map.of(), flag);

      assertEquals(0, service.awaitExit(EXIT_TIMEOUT), flag);
      String out = String.join("\n", service.stdout());
      assertTrue(out.startsWith("usage: java -jar service-fat.jar"), out);
      assertTrue(out.matches("(?s).*\\n\\s+http\\.port\\s+default 8080\\s+SERVICE_HTTP_PORT\\n.*"), out);
      assertTrue(out.matches("(?s).*\\n\\s+shutdown\\.timeoutMs\\s+default auto\\s+SERVICE_SHUTDOWN_TIMEOUT_MS\\n.*"), out);
      assertEquals(List.of(), service.stderr());
      assertTrue(service.stdout().stream().noneMatch(line -> line.contains("service stopped")), "no summary: " + out);
    }
  }

  @Test
  void version_prints_the_project_version_from_the_jar_manifest_and_exits_0() throws Exception {
    ServiceProcess service = services.jar(Map.of(), "--version");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertEquals(List.of("supervised-service " + System.getProperty("service.version", "1.0.0-SNAPSHOT")),
        service.stdout());
    assertEquals(List.of(), service.stderr());
  }

  @Test
  void print_config_of_conf_app_json_marks_file_and_auto_sources_and_exits_0() throws Exception {
    String appJson = Path.of(System.getProperty("service.conf.dir", "conf"), "app.json").toString();
    ServiceProcess service = services.jar(Map.of("SERVICE_HTTP_PORT", "0"), "-conf", appJson, "--print-config");

    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    JsonObject printed = new JsonObject(String.join("\n", service.stdout()));
    assertEquals(0, printed.getJsonObject("config").getJsonObject("http").getInteger("port"));
    assertEquals(30000, printed.getJsonObject("config").getJsonObject("startup").getInteger("timeoutMs"));
    JsonObject sources = printed.getJsonObject("sources");
    assertEquals("env", sources.getString("http.port"));
    assertEquals("file", sources.getString("http.host"));
    assertEquals("auto", sources.getString("shutdown.timeoutMs"));
    assertEquals("file", sources.getString("startup.timeoutMs"));
    assertTrue(service.stdout().stream().noneMatch(line -> line.contains("started")), "nothing started");
  }
}
