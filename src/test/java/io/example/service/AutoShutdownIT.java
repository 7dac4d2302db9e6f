package io.example.service;

import static io.example.service.ServiceProcessIT.EXIT_TIMEOUT;
import static io.example.service.ServiceProcessIT.assertSummary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "auto" shutdown values on the real jar, with the Kubernetes variables set for the child process only:
 * what the start log says, what {@code --print-config} says, and that the stop uses the resolved values.
 */
public class AutoShutdownIT {

  static final Map<String, String> K8S = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443");
  /** No shutdown keys: both stay "auto". */
  static final String CONF = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},"
      + "\"worker\":{\"intervalMs\":100,\"jobMs\":50}}";
  static final String K8S_LINE = "shutdown: deadline 25000 ms, drain delay 5000 ms "
      + "(auto: Kubernetes detected by KUBERNETES_SERVICE_HOST/PORT)";

  @RegisterExtension
  final ServiceProcesses services = new ServiceProcesses();

  @Test
  void on_kubernetes_the_start_log_says_25000_and_5000_and_the_stop_drains_5_s() throws Exception {
    ServiceProcess service = services.jar(K8S, "-conf", CONF);
    service.awaitPort();
    assertEquals(1, service.stdout().stream().filter(line -> line.endsWith(K8S_LINE)).count(), "logged once");

    ServiceProcess.Exit exit = service.signalAndAwaitExit("TERM", EXIT_TIMEOUT);

    assertEquals(0, exit.code());
    assertSummary(service, "signal:SIGTERM", 0);
    service.awaitLine("stopping: reason=signal:SIGTERM, deadline in 25000 ms", Duration.ZERO);
    service.awaitLine("readiness reports 503 for 5000 ms", Duration.ZERO);
    assertTrue(exit.tookMs() >= 5000 && exit.tookMs() < 5000 + 5000, "signal to exit took " + exit.tookMs() + " ms");
  }

  @Test
  void off_kubernetes_the_start_log_says_5000_and_0() throws Exception {
    ServiceProcess service = services.jar(Map.of(), "-conf", CONF);
    service.awaitPort();
    service.awaitLine("shutdown: deadline 5000 ms, drain delay 0 ms (auto: not on Kubernetes)", Duration.ZERO);

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
    service.awaitLine("stopping: reason=signal:SIGTERM, deadline in 5000 ms", Duration.ZERO);
  }

  @Test
  void a_variable_wins_over_auto_and_the_start_log_names_it() throws Exception {
    Map<String, String> env = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443",
        "SERVICE_SHUTDOWN_DRAIN_DELAY_MS", "0");
    ServiceProcess service = services.jar(env, "-conf", CONF);
    service.awaitPort();
    service.awaitLine("shutdown: deadline 25000 ms, drain delay 0 ms (deadline auto: Kubernetes detected by "
        + "KUBERNETES_SERVICE_HOST/PORT, drain delay from SERVICE_SHUTDOWN_DRAIN_DELAY_MS)", Duration.ZERO);

    assertEquals(0, service.signalAndAwaitExit("TERM", EXIT_TIMEOUT).code());
  }

  @Test
  void the_stock_launcher_logs_the_same_line() throws Exception {
    ServiceProcess service = services.command(List.of(ServiceProcess.JAVA.toString(), "-cp",
        ServiceProcess.JAR.toAbsolutePath().toString(), "io.vertx.core.Launcher", "run",
        SupervisorVerticle.class.getName(), "-conf", CONF), K8S, null);
    service.awaitPort();
    assertEquals(1, service.stdout().stream().filter(line -> line.endsWith(K8S_LINE)).count(), "logged once");
  }

  @Test
  void print_config_on_kubernetes_shows_the_resolved_values_and_their_source() throws Exception {
    JsonObject printed = printConfig(K8S, Map.of());

    JsonObject shutdown = printed.getJsonObject("config").getJsonObject("shutdown");
    assertEquals(new JsonObject().put("timeoutMs", 25000).put("drainDelayMs", 5000), shutdown);
    assertEquals("auto", printed.getJsonObject("sources").getString("shutdown.timeoutMs"));
    assertEquals("auto", printed.getJsonObject("sources").getString("shutdown.drainDelayMs"));
    assertEquals("file", printed.getJsonObject("sources").getString("http.port"));
    assertEquals(true, printed.getBoolean("kubernetes"));
  }

  @Test
  void print_config_off_kubernetes_and_with_a_variable() throws Exception {
    JsonObject plain = printConfig(Map.of(), Map.of());
    JsonObject fromEnv = printConfig(Map.of(), Map.of("SERVICE_SHUTDOWN_TIMEOUT_MS", "9000"));

    assertEquals(new JsonObject().put("timeoutMs", 5000).put("drainDelayMs", 0),
        plain.getJsonObject("config").getJsonObject("shutdown"));
    assertEquals(false, plain.getBoolean("kubernetes"));
    assertEquals(9000, fromEnv.getJsonObject("config").getJsonObject("shutdown").getInteger("timeoutMs"));
    assertEquals("env", fromEnv.getJsonObject("sources").getString("shutdown.timeoutMs"));
    assertEquals("auto", fromEnv.getJsonObject("sources").getString("shutdown.drainDelayMs"));
  }

  @Test
  void a_conflict_with_an_auto_value_exits_2_saying_it_was_auto_resolved() throws Exception {
    ServiceProcess service = services.jar(K8S, "-conf", "{\"shutdown\":{\"timeoutMs\":5000}}");

    assertEquals(2, service.awaitExit(EXIT_TIMEOUT));
    List<String> stderr = service.stderr();
    assertEquals(1, stderr.size(), "stderr: " + stderr);
    assertTrue(stderr.get(0).startsWith("config error: shutdown.drainDelayMs: drainDelayMs (5000, auto-resolved: "
        + "Kubernetes detected by KUBERNETES_SERVICE_HOST/PORT)"), stderr.get(0));
    assertSummary(service, "config", 2);
  }

  private JsonObject printConfig(Map<String, String> kubernetes, Map<String, String> more) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(kubernetes);
    env.putAll(more);
    ServiceProcess service = services.jar(env, "--print-config", "-conf", CONF);
    assertEquals(0, service.awaitExit(EXIT_TIMEOUT));
    assertEquals(List.of(), service.stderr());
    return new JsonObject(String.join("\n", service.stdout()));
  }
}
