package io.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/: the Kubernetes manifest's numbers against the config's rules, its probe paths against the real
 * router, and the Dockerfile's entry point. The manifest is read by indentation, without a YAML library.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class DeployKitTest {

  private static final Map<String, String> K8S = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
      "KUBERNETES_SERVICE_PORT", "443");
  private static final ServiceConfig ON_KUBERNETES = ConfigLoader.load(null, K8S);
  private static final ServiceConfig DEFAULTS = ConfigLoader.load(null, Map.of());

  private final List<String> manifest = lines("deploy/kubernetes.yaml");
  private final List<String> dockerfile = lines("deploy/Dockerfile");

  @Test
  void grace_period_outlasts_the_auto_deadline_on_kubernetes_with_room_for_the_jvm_exit() {
    long graceMs = 1000 * Long.parseLong(value(manifest, "terminationGracePeriodSeconds"));

    assertTrue(graceMs > ON_KUBERNETES.shutdown().timeoutMs(), "grace " + graceMs + " ms");
    assertTrue(graceMs - ON_KUBERNETES.shutdown().timeoutMs() >= 2000, "a margin for the JVM's exit");
  }

  @Test
  void no_pre_stop_hook_because_the_auto_drain_delay_does_its_work() {
    assertTrue(ON_KUBERNETES.shutdown().drainDelayMs() > 0);
    assertTrue(manifest.stream().noneMatch(line -> line.trim().startsWith("preStop:")), "no preStop");
  }

  @Test
  void container_port_is_the_default_http_port_and_the_probes_use_it() {
    assertEquals(DEFAULTS.http().port(), Integer.parseInt(value(manifest, "containerPort")));
    assertEquals("http", value(block(manifest, "ports:"), "name"));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertEquals("http", value(block(manifest, probe + ":"), "port"), probe);
    }
  }

  @Test
  void probes_point_at_liveness_and_readiness() {
    assertEquals("/healthz", value(block(manifest, "livenessProbe:"), "path"));
    assertEquals("/readyz", value(block(manifest, "readinessProbe:"), "path"));
    assertEquals("/readyz", value(block(manifest, "startupProbe:"), "path"));
  }

  @Test
  void startup_probe_outlasts_startup_timeout_so_the_service_reports_its_own_failed_start() {
    List<String> probe = block(manifest, "startupProbe:");
    long budgetMs = 1000L * Long.parseLong(value(probe, "periodSeconds")) * Long.parseLong(value(probe, "failureThreshold"));

    assertTrue(budgetMs > DEFAULTS.startup().timeoutMs(), "startup probe budget " + budgetMs + " ms");
  }

  @Test
  void every_probe_path_is_answered_200_by_the_real_router_when_ready(Vertx vertx, VertxTestContext testContext) {
    List<String> paths = manifest.stream().filter(line -> line.trim().startsWith("path:"))
        .map(line -> line.trim().substring("path:".length()).trim()).distinct().toList();
    ServiceStatus status = new ServiceStatus();
    String conf = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},\"worker\":{\"intervalMs\":100,\"jobMs\":10}}";
    var client = vertx.createHttpClient();

    vertx.deployVerticle(new SupervisorVerticle(ConfigLoader.load(conf, Map.of()), status))
        .compose(id -> Future.all(paths.stream().map(path -> client.request(HttpMethod.GET, status.httpPort(), "127.0.0.1", path)
            .compose(request -> request.send()).map(response -> path + " " + response.statusCode())).toList()))
        .onComplete(testContext.succeeding(answers -> testContext.verify(() -> {
          assertEquals(2, paths.size(), "probe paths: " + paths);
          for (String path : paths) {
            assertTrue(answers.list().contains(path + " 200"), "answers: " + answers.list());
          }
          testContext.completeNow();
        })));
  }

  @Test
  void dockerfile_runs_the_fat_jar_as_pid_1_in_exec_form() {
    List<String> entrypoint = new JsonArray(instruction("ENTRYPOINT")).stream().map(Object::toString).toList();

    assertEquals("java", entrypoint.get(0), "java itself, no shell in front of it");
    assertTrue(entrypoint.contains("-jar"), entrypoint.toString());
    String jar = entrypoint.get(entrypoint.indexOf("-jar") + 1);
    assertTrue(jar.endsWith("/service-fat.jar"), jar);
    assertTrue(entrypoint.stream().anyMatch(arg -> arg.startsWith("-XX:MaxRAMPercentage=")),
        "heap sized from the container's limit");
    // The CDS archive is bound to the classpath: the training run and the entry point must name the same jar.
    String archive = entrypoint.stream().filter(arg -> arg.startsWith("-XX:SharedArchiveFile=")).findFirst()
        .orElseThrow().substring("-XX:SharedArchiveFile=".length());
    String training = instruction("RUN java -XX:ArchiveClassesAtExit");
    assertTrue(training.startsWith("=" + archive + " -jar " + jar + " "), training);
  }

  @Test
  void dockerfile_uses_a_java_17_runtime_and_a_user_that_is_not_root() {
    assertTrue(instruction("FROM").matches("\\S+:17\\S*-jre\\S*|\\S+:17-jre"), instruction("FROM"));
    String user = instruction("USER");
    assertFalse(user.isEmpty());
    String name = user.split(":")[0];
    assertNotEquals("root", name);
    assertNotEquals("0", name);
    assertEquals(user, lastInstruction("USER"), "one USER, and the image ends as it");
  }

  // ---- reading the files ---------------------------------------------------------------------------

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(line -> !line.trim().startsWith("#")).toList();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** The lines nested under the first line that reads {@code key} (more indented than it). */
  private static List<String> block(List<String> lines, String key) {
    List<String> nested = new ArrayList<>();
    int indent = -1;
    for (String line : lines) {
      int depth = line.length() - line.stripLeading().length();
      if (indent < 0) {
        indent = line.trim().replaceFirst("^- ", "").equals(key) ? depth : -1;
      } else if (line.isBlank() || depth > indent) {
        nested.add(line);
      } else {
        break;
      }
    }
    assertTrue(indent >= 0, "no '" + key + "' in the manifest");
    return nested;
  }

  /** The value of the first {@code key: value} line, a list item or not. */
  private static String value(List<String> lines, String key) {
    for (String line : lines) {
      String text = line.trim().replaceFirst("^- ", "");
      if (text.startsWith(key + ":")) {
        return text.substring(key.length() + 1).trim().replaceAll("^\"|\"$", "");
      }
    }
    throw new AssertionError("no '" + key + ":' in " + lines);
  }

  /** What follows the first Dockerfile line that starts with {@code prefix}. */
  private String instruction(String prefix) {
    return dockerfile.stream().filter(line -> line.startsWith(prefix + " ") || line.startsWith(prefix + "="))
        .findFirst().map(line -> line.substring(prefix.length()).trim()).orElse("");
  }

  private String lastInstruction(String prefix) {
    return dockerfile.stream().filter(line -> line.startsWith(prefix + " ")).reduce((a, b) -> b)
        .map(line -> line.substring(prefix.length()).trim()).orElse("");
  }
}
