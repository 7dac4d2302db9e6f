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
 * router, the Dockerfile's entry point and the training of its AOT cache. The manifest is read by indentation,
 * without a YAML library.
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
    List<String> entrypoint = entrypoint();

    assertEquals("java", entrypoint.get(0), "java itself, no shell in front of it");
    assertTrue(entrypoint.stream().anyMatch(arg -> arg.startsWith("-XX:MaxRAMPercentage=")),
        "heap sized from the container's limit");
    assertTrue(entrypointJar().endsWith("/service-fat.jar"), entrypointJar());
  }

  @Test
  void dockerfile_uses_a_java_25_runtime_and_a_user_that_is_not_root() {
    assertTrue(instruction("FROM").matches("\\S+:25\\S*-jre\\S*|\\S+:25-jre"), instruction("FROM"));
    String user = instruction("USER");
    assertFalse(user.isEmpty());
    String name = user.split(":")[0];
    assertNotEquals("root", name);
    assertNotEquals("0", name);
    assertEquals(user, lastInstruction("USER"), "one USER, and the image ends as it");
  }

  @Test
  void dockerfile_trains_the_aot_cache_from_the_entry_points_jar_with_the_warm_up_on() {
    // The cache is bound to the jar (its name, size and time stamp): training must run the very jar the entry point runs.
    String cache = option(entrypoint(), "-XX:AOTCache=");
    List<String> training = List.of(instruction("RUN /app/train-aot.sh").split("\\s+"));
    assertEquals(List.of(entrypointJar(), cache), training.subList(0, 2), "train-aot.sh JAR CACHE WARMUP_MS");
    assertTrue(dockerfile.contains("COPY deploy/train-aot.sh /app/train-aot.sh"), "the script the RUN calls");
    // A warm-up in training puts the request path's method profiles in the cache; it must fit the start's deadline.
    long warmupMs = Long.parseLong(training.get(2));
    assertTrue(warmupMs > 0 && warmupMs < DEFAULTS.startup().timeoutMs(), "training warm-up " + warmupMs + " ms");
    assertTrue(training.contains("chmod") && training.contains("0444"), "the cache is read-only for the service");
  }

  @Test
  void an_unusable_aot_cache_never_stops_the_start() {
    // auto: a cache that does not fit is reported and skipped; "on" would refuse to start the JVM.
    assertEquals("auto", option(entrypoint(), "-XX:AOTMode="));
    assertTrue(entrypoint().stream().noneMatch(arg -> arg.startsWith("-Xshare:on") || arg.equals("-XX:AOTMode=on")),
        entrypoint().toString());
  }

  @Test
  void every_wait_of_the_aot_training_is_bounded() {
    List<String> script = lines("deploy/train-aot.sh");
    String text = String.join("\n", script);

    for (String bound : List.of("READY_S=${TRAIN_READY_S:-", "EXIT_S=${TRAIN_EXIT_S:-")) {
      assertTrue(text.contains(bound), "a default for " + bound);
    }
    assertTrue(script.stream().noneMatch(line -> line.matches("\\s*(while|until)\\b.*")), "only counted loops");
    assertTrue(script.stream().filter(line -> line.contains("cat <&3")).allMatch(line -> line.contains("timeout ")),
        "every read of an answer has a timeout");
    assertTrue(text.contains("sleep \"$EXIT_S\" && kill -KILL"), "a watchdog past the exit bound");
    assertTrue(text.contains("-XX:AOTMode=on"), "the script proves the cache loads for the jar");
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

  private List<String> entrypoint() {
    return new JsonArray(instruction("ENTRYPOINT")).stream().map(Object::toString).toList();
  }

  private String entrypointJar() {
    List<String> entrypoint = entrypoint();
    assertTrue(entrypoint.contains("-jar"), entrypoint.toString());
    return entrypoint.get(entrypoint.indexOf("-jar") + 1);
  }

  private static String option(List<String> args, String prefix) {
    return args.stream().filter(arg -> arg.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix))
        .substring(prefix.length());
  }

  private String lastInstruction(String prefix) {
    return dockerfile.stream().filter(line -> line.startsWith(prefix + " ")).reduce((a, b) -> b)
        .map(line -> line.substring(prefix.length()).trim()).orElse("");
  }
}
