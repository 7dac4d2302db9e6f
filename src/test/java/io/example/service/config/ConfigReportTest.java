package io.example.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start log line, the --print-config JSON and the key list of --help. */
public class ConfigReportTest {

  private static final Map<String, String> K8S = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
      "KUBERNETES_SERVICE_PORT", "443");

  @Test
  void start_line_gives_auto_values_and_the_kubernetes_variables_that_chose_them() {
    assertEquals("shutdown: deadline 25000 ms, drain delay 5000 ms (auto: Kubernetes detected by "
        + "KUBERNETES_SERVICE_HOST/PORT)", ConfigReport.shutdownLine(ConfigLoader.load(null, K8S)));
    assertEquals("shutdown: deadline 5000 ms, drain delay 0 ms (auto: not on Kubernetes)",
        ConfigReport.shutdownLine(ConfigLoader.load(null, Map.of())));
  }

  @Test
  void start_line_names_the_variable_or_file_of_an_explicit_value() {
    ServiceConfig fromEnv = ConfigLoader.load(null, Map.of("SERVICE_SHUTDOWN_TIMEOUT_MS", "9000"));
    ServiceConfig fromFile = ConfigLoader.load("{\"shutdown\":{\"drainDelayMs\":2000}}", K8S);

    assertEquals("shutdown: deadline 9000 ms, drain delay 0 ms (deadline from SERVICE_SHUTDOWN_TIMEOUT_MS, "
        + "drain delay auto: not on Kubernetes)", ConfigReport.shutdownLine(fromEnv));
    assertEquals("shutdown: deadline 25000 ms, drain delay 2000 ms (deadline auto: Kubernetes detected by "
        + "KUBERNETES_SERVICE_HOST/PORT, drain delay from -conf)", ConfigReport.shutdownLine(fromFile));
  }

  @Test
  void printable_config_has_every_key_resolved_and_its_source() {
    ServiceConfig config = ConfigLoader.load("{\"http\":{\"port\":0}}", K8S);

    JsonObject printed = ConfigReport.printable(config);

    JsonObject tree = printed.getJsonObject("config");
    assertEquals(25_000L, tree.getJsonObject("shutdown").getLong("timeoutMs"));
    assertEquals(5000L, tree.getJsonObject("shutdown").getLong("drainDelayMs"));
    assertEquals(0L, tree.getJsonObject("http").getLong("port"));
    assertEquals(ServiceConfig.defaults().getJsonObject("worker"), tree.getJsonObject("worker"));
    JsonObject sources = printed.getJsonObject("sources");
    assertEquals(ConfigLoader.leafKeys(ServiceConfig.defaults(), ""), List.copyOf(sources.fieldNames()));
    assertEquals("auto", sources.getString("shutdown.timeoutMs"));
    assertEquals("file", sources.getString("http.port"));
    assertEquals("default", sources.getString("http.host"));
    assertEquals(true, printed.getBoolean("kubernetes"));
  }

  @Test
  void printed_config_read_back_as_conf_gives_the_same_values() {
    ServiceConfig config = ConfigLoader.load(null, Map.of("SERVICE_HTTP_PORT", "9000"));

    String printed = ConfigReport.printable(config).getJsonObject("config").encode();

    ServiceConfig again = ConfigLoader.load(printed, Map.of());
    assertEquals(config.http(), again.http());
    assertEquals(config.shutdown(), again.shutdown());
  }

  @Test
  void key_list_has_every_key_with_its_default_and_variable() {
    List<String> lines = ConfigReport.keys();

    assertEquals(ConfigLoader.leafKeys(ServiceConfig.defaults(), "").size(),
        lines.size() + ConfigReport.demoKeys().size());
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\s*shutdown\\.timeoutMs\\s+default auto\\s+SERVICE_SHUTDOWN_TIMEOUT_MS")),
        String.join("\n", lines));
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\s*startup\\.timeoutMs\\s+default 30000\\s+SERVICE_STARTUP_TIMEOUT_MS")),
        String.join("\n", lines));
  }

  @Test
  void simulate_knobs_are_listed_apart_from_the_real_keys() {
    List<String> simulateKeys = ConfigLoader.leafKeys(ServiceConfig.defaults(), "").stream()
        .filter(key -> key.startsWith("simulate.")).toList();

    assertFalse(simulateKeys.isEmpty(), "the defaults have simulate.* knobs");
    assertTrue(ConfigReport.keys().stream().noneMatch(line -> line.contains("simulate.")),
        String.join("\n", ConfigReport.keys()));
    assertEquals(simulateKeys, ConfigReport.demoKeys().stream().map(line -> line.trim().split("\\s+")[0]).toList());
    assertTrue(ConfigReport.demoKeys().stream().anyMatch(l -> l.matches(
        "\\s*simulate\\.workerFailAfterJobs\\s+default 0\\s+SERVICE_SIMULATE_WORKER_FAIL_AFTER_JOBS")),
        String.join("\n", ConfigReport.demoKeys()));
  }
}
