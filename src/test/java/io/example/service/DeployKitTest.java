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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/: the Kubernetes manifests' numbers against the config's rules and against each other (the member
 * list against the replica count, the grace period against the deadline, the probes against the management
 * port), their probe paths against the real router, the Dockerfile's entry point and the training of its AOT
 * cache. The manifests are read by indentation, without a YAML library.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
public class DeployKitTest {

  private static final Map<String, String> K8S = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
      "KUBERNETES_SERVICE_PORT", "443");
  private static final ServiceConfig DEFAULTS = ConfigLoader.load(null, Map.of());
  private static final String CLUSTERED = "deploy/kubernetes.yaml";
  private static final String DEPLOYMENT = "deploy/kubernetes-deployment.yaml";

  private final List<String> manifest = lines(CLUSTERED);
  private final List<String> dockerfile = lines("deploy/Dockerfile");

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void grace_period_outlasts_the_deadline_in_force_with_room_for_the_jvm_exit(String file) {
    long graceMs = 1000 * Long.parseLong(value(lines(file), "terminationGracePeriodSeconds"));
    long deadlineMs = configOf(file).shutdown().timeoutMs();

    assertTrue(graceMs > deadlineMs, "grace " + graceMs + " ms, deadline " + deadlineMs + " ms");
    assertTrue(graceMs - deadlineMs >= 2000, "a margin for the JVM's exit");
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void no_pre_stop_hook_because_the_auto_drain_delay_does_its_work(String file) {
    assertTrue(configOf(file).shutdown().drainDelayMs() > 0);
    assertTrue(lines(file).stream().noneMatch(line -> line.trim().startsWith("preStop:")), "no preStop");
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void container_ports_are_the_configured_ones_and_the_probes_and_scrapes_use_the_management_port(String file) {
    List<String> pod = document(lines(file), "template:");
    ServiceConfig config = configOf(file);
    Map<String, String> ports = namedPorts(block(pod, "ports:"));

    assertEquals(DEFAULTS.http().port(), Integer.parseInt(ports.get("http")), "the default http.port");
    assertTrue(config.management().enabled(), "the management listener is on");
    assertEquals(config.management().port(), Integer.parseInt(ports.get("management")));
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertEquals("management", value(block(pod, probe + ":"), "port"), probe);
    }
    assertEquals("true", value(pod, "prometheus.io/scrape"));
    assertEquals(ports.get("management"), value(pod, "prometheus.io/port"));
    assertEquals("/metrics", value(pod, "prometheus.io/path"));
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void the_client_facing_service_exposes_the_http_port_only(String file) {
    List<String> service = documentOf(lines(file), "Service", "name: supervised-service");
    List<String> targets = block(service, "ports:").stream().filter(line -> line.trim().startsWith("targetPort:"))
        .map(line -> line.trim().substring("targetPort:".length()).trim()).toList();

    assertEquals(List.of("http"), targets);
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void the_admin_token_comes_from_a_secret_and_nowhere_else(String file) {
    Map<String, String> env = env(lines(file));

    assertEquals("secret:supervised-service-admin/token", env.get("SERVICE_ADMIN_TOKEN"));
    assertEquals("true", env.get("SERVICE_ADMIN_SHUTDOWN_ENDPOINT"), "the endpoint the token guards is on");
    assertTrue(lines(file).stream().noneMatch(line -> line.trim().equals("kind: Secret")), "no secret value in the kit");
  }

  @Test
  void the_cluster_lists_every_member_by_its_stable_name_and_nothing_else() {
    List<String> set = documentOf(manifest, "StatefulSet", "name: supervised-service");
    int replicas = Integer.parseInt(value(set, "replicas"));
    ServiceConfig.Cluster cluster = configOf(CLUSTERED).cluster();
    String headless = value(set, "serviceName");

    assertTrue(cluster.enabled());
    assertEquals(replicas, cluster.members().size(), "one entry per replica: " + cluster.members());
    for (int i = 0; i < replicas; i++) {
      assertEquals("supervised-service-" + i + "." + headless + ".default.svc:" + cluster.port(), cluster.members().get(i));
    }
    assertEquals("field:status.podIP", env(manifest).get("SERVICE_CLUSTER_HOST"), "the member binds to its pod's IP");
    assertEquals("10.244.0.7", cluster.host());
    assertEquals("field:metadata.namespace", env(manifest).get("POD_NAMESPACE"));
    assertEquals(cluster.port(), Integer.parseInt(namedPorts(block(set, "ports:")).get("cluster")));
  }

  @Test
  void the_headless_service_publishes_every_member_and_its_cluster_port() {
    String headless = value(documentOf(manifest, "StatefulSet", "name: supervised-service"), "serviceName");
    List<String> service = documentOf(manifest, "Service", "name: " + headless);

    assertEquals("None", value(service, "clusterIP"));
    assertEquals("true", value(service, "publishNotReadyAddresses"), "members find each other before they are ready");
    assertEquals(String.valueOf(configOf(CLUSTERED).cluster().port()), value(block(service, "ports:"), "port"));
    assertEquals("cluster", value(block(service, "ports:"), "targetPort"));
  }

  @Test
  void a_rolling_update_and_a_node_drain_keep_a_majority_of_the_members() {
    List<String> set = documentOf(manifest, "StatefulSet", "name: supervised-service");
    int replicas = Integer.parseInt(value(set, "replicas"));
    int majority = replicas / 2 + 1;
    List<String> update = block(set, "updateStrategy:");

    assertEquals("RollingUpdate", value(update, "type"));
    assertTrue(replicas - Integer.parseInt(value(update, "maxUnavailable")) >= majority, "an update keeps a majority");
    List<String> budget = documentOf(manifest, "PodDisruptionBudget", "name: supervised-service");
    assertEquals(majority, Integer.parseInt(value(budget, "minAvailable")), "a drain keeps a majority");
  }

  @Test
  void the_plain_deployment_runs_one_replica_unclustered_and_says_each_replica_runs_the_job() throws IOException {
    List<String> deployment = documentOf(lines(DEPLOYMENT), "Deployment", "name: supervised-service");

    assertEquals(1, Integer.parseInt(value(deployment, "replicas")));
    assertFalse(configOf(DEPLOYMENT).cluster().enabled());
    String comments = Files.readAllLines(Path.of(DEPLOYMENT)).stream().filter(line -> line.startsWith("#"))
        .map(line -> line.substring(1).trim()).collect(Collectors.joining(" ")).toLowerCase(Locale.ROOT);
    assertTrue(comments.contains("each replica runs the background job"), "its comments say what more replicas do");
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void probes_point_at_liveness_and_readiness(String file) {
    List<String> pod = document(lines(file), "template:");
    assertEquals("/healthz", value(block(pod, "livenessProbe:"), "path"));
    assertEquals("/readyz", value(block(pod, "readinessProbe:"), "path"));
    assertEquals("/readyz", value(block(pod, "startupProbe:"), "path"));
  }

  @ParameterizedTest
  @ValueSource(strings = {CLUSTERED, DEPLOYMENT})
  void startup_probe_outlasts_startup_timeout_so_the_service_reports_its_own_failed_start(String file) {
    List<String> probe = block(lines(file), "startupProbe:");
    long budgetMs = 1000L * Long.parseLong(value(probe, "periodSeconds")) * Long.parseLong(value(probe, "failureThreshold"));

    assertTrue(budgetMs > configOf(file).startup().timeoutMs(), "startup probe budget " + budgetMs + " ms");
  }

  /** The probes' and the scrape's paths, on the management port of an embedded service, and 404 on its public port. */
  @Test
  void every_probe_path_is_answered_200_on_the_management_port_when_ready(Vertx vertx, VertxTestContext testContext) {
    List<String> paths = new ArrayList<>(manifest.stream().filter(line -> line.trim().startsWith("path:"))
        .map(line -> line.trim().substring("path:".length()).trim()).distinct().toList());
    paths.add(value(manifest, "prometheus.io/path"));
    ServiceStatus status = new ServiceStatus();
    String conf = "{\"http\":{\"host\":\"127.0.0.1\",\"port\":0,\"instances\":1},\"worker\":{\"intervalMs\":100,\"jobMs\":10},"
        + "\"management\":{\"host\":\"127.0.0.1\",\"port\":0}}";
    var client = vertx.createHttpClient();

    vertx.deployVerticle(new SupervisorVerticle(ConfigLoader.load(conf, Map.of()), status, null))
        .compose(id -> Future.all(paths.stream().flatMap(path -> Stream.of(StatusReads.managementPort(status), StatusReads.httpPort(status))
            .map(port -> client.request(HttpMethod.GET, port, "127.0.0.1", path).compose(request -> request.send())
                .map(response -> (port == StatusReads.httpPort(status) ? "public " : "management ") + path + " " + response.statusCode())))
            .toList()))
        .onComplete(testContext.succeeding(answers -> testContext.verify(() -> {
          assertEquals(3, paths.size(), "probe and scrape paths: " + paths);
          for (String path : paths) {
            assertTrue(answers.list().contains("management " + path + " 200"), "answers: " + answers.list());
            if (!path.equals("/healthz")) {
              assertTrue(answers.list().contains("public " + path + " 404"), "answers: " + answers.list());
            }
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

  /**
   * The config a pod of {@code file} runs with: the defaults, its environment as the kubelet expands it (in
   * the namespace "default"; a secret or field value by a stand-in), and the Kubernetes variables.
   */
  private static ServiceConfig configOf(String file) {
    Map<String, String> env = new HashMap<>(K8S);
    Map<String, String> standIns = Map.of("field:status.podIP", "10.244.0.7", "field:metadata.namespace", "default");
    env(lines(file)).forEach((name, value) -> env.put(name, value.startsWith("secret:") ? "a-token-from-the-secret"
        : standIns.getOrDefault(value, value.replace("$(POD_NAMESPACE)", "default"))));
    return ConfigLoader.load(null, env);
  }

  /**
   * The container's {@code env:} list: a value as written, {@code secret:<name>/<key>} for a secretKeyRef and
   * {@code field:<path>} for a fieldRef.
   */
  private static Map<String, String> env(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    String name = null;
    String secret = null;
    for (String line : block(lines, "env:")) {
      String text = line.trim();
      if (text.startsWith("- name:")) {
        name = text.substring("- name:".length()).trim();
      } else if (text.startsWith("value:")) {
        env.put(name, text.substring("value:".length()).trim().replaceAll("^\"|\"$", ""));
      } else if (text.startsWith("fieldPath:")) {
        env.put(name, "field:" + text.substring("fieldPath:".length()).trim());
      } else if (text.startsWith("name:")) {
        secret = text.substring("name:".length()).trim(); // inside secretKeyRef
      } else if (text.startsWith("key:")) {
        env.put(name, "secret:" + secret + "/" + text.substring("key:".length()).trim());
      }
    }
    return env;
  }

  /** {@code name -> containerPort} of a {@code ports:} list. */
  private static Map<String, String> namedPorts(List<String> ports) {
    Map<String, String> named = new LinkedHashMap<>();
    String name = null;
    for (String line : ports) {
      String text = line.trim().replaceFirst("^- ", "");
      if (text.startsWith("name:")) {
        name = text.substring("name:".length()).trim();
      } else if (text.startsWith("containerPort:")) {
        named.put(name, text.substring("containerPort:".length()).trim());
      }
    }
    return named;
  }

  /** The lines of the one document (between {@code ---}) of {@code kind} that has the line {@code has}. */
  private static List<String> documentOf(List<String> lines, String kind, String has) {
    List<List<String>> matching = documents(lines).stream()
        .filter(doc -> doc.contains("kind: " + kind) && doc.stream().anyMatch(line -> line.trim().equals(has)))
        .toList();
    assertEquals(1, matching.size(), "one " + kind + " with '" + has + "'");
    return matching.get(0);
  }

  /** The lines of the one document that has a line {@code key}. */
  private static List<String> document(List<String> lines, String key) {
    List<List<String>> matching = documents(lines).stream()
        .filter(doc -> doc.stream().anyMatch(line -> line.trim().equals(key))).toList();
    assertEquals(1, matching.size(), "one document with '" + key + "'");
    return matching.get(0);
  }

  private static List<List<String>> documents(List<String> lines) {
    List<List<String>> docs = new ArrayList<>(List.of(new ArrayList<>()));
    for (String line : lines) {
      if (line.equals("---")) {
        docs.add(new ArrayList<>());
      } else {
        docs.get(docs.size() - 1).add(line);
      }
    }
    return docs;
  }

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
