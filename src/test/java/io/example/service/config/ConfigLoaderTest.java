package io.example.service.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Defaults, the three layers and every way a config can be unusable. Plain JUnit: no Vert.x runs here. */
public class ConfigLoaderTest {

  private static final Map<String, String> NO_ENV = Map.of();
  /** What Kubernetes puts in every container's environment. */
  private static final Map<String, String> K8S = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1",
      "KUBERNETES_SERVICE_PORT", "443");

  /** A key whose sample is valid only with another key's sample: the endpoint needs its token. */
  private static final Map<String, String> COMPANIONS = Map.of("admin.shutdownEndpoint", "admin.token");

  /** A valid value, other than the default, for every key: each must be settable from conf and from env. */
  private static final Map<String, String> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("http.host", "127.0.0.1");
    SAMPLES.put("http.port", "9090");
    SAMPLES.put("http.instances", "3");
    SAMPLES.put("http.accessLog", "true");
    SAMPLES.put("http.maxHeaderBytes", "4096");
    SAMPLES.put("http.maxRequestLineBytes", "1024");
    SAMPLES.put("http.maxBodyBytes", "1024");
    SAMPLES.put("http.idleTimeoutMs", "1000");
    SAMPLES.put("worker.intervalMs", "50");
    SAMPLES.put("worker.jobMs", "10");
    SAMPLES.put("worker.jobTimeoutMs", "30000");
    SAMPLES.put("startup.timeoutMs", "45000");
    SAMPLES.put("startup.warmupMs", "1500");
    SAMPLES.put("shutdown.timeoutMs", "9000");
    SAMPLES.put("shutdown.drainDelayMs", "100");
    SAMPLES.put("management.port", "9091");
    SAMPLES.put("management.host", "127.0.0.1");
    SAMPLES.put("admin.shutdownEndpoint", "true");
    SAMPLES.put("admin.token", "sample-Token_1");
    SAMPLES.put("metrics.enabled", "false");
    SAMPLES.put("log.format", "json");
    SAMPLES.put("cluster.enabled", "true");
    SAMPLES.put("cluster.host", "10.0.0.5");
    SAMPLES.put("cluster.port", "5801");
    SAMPLES.put("cluster.members", "10.0.0.5:5801,10.0.0.6:5801");
    SAMPLES.put("simulate.workerStartFailure", "true");
    SAMPLES.put("simulate.workerStartHangs", "true");
    SAMPLES.put("simulate.workerFailAfterJobs", "4");
    SAMPLES.put("simulate.workerUndeploysAfterJobs", "5");
  }

  // ---- defaults -------------------------------------------------------------------------------------

  @Test
  void conf_app_json_holds_exactly_the_built_in_defaults() throws IOException {
    JsonObject file = new JsonObject(Files.readString(Path.of("conf/app.json")));

    assertEquals(ServiceConfig.defaults(), file);
    assertEquals(settings(ConfigLoader.load(null, NO_ENV)), settings(ConfigLoader.load("conf/app.json", NO_ENV)));
    assertEquals(settings(ConfigLoader.load(null, K8S)), settings(ConfigLoader.load("conf/app.json", K8S)));
  }

  @Test
  void defaults_are_the_documented_values() {
    ServiceConfig config = ConfigLoader.load(null, NO_ENV);

    assertEquals(new ServiceConfig.Http("0.0.0.0", 8080, 0, false, 8192, 4096, 65536, 75_000), config.http());
    assertEquals(new ServiceConfig.Worker(2000, 500, 60_000), config.worker());
    assertEquals(new ServiceConfig.Startup(30_000, 0), config.startup());
    assertEquals(new ServiceConfig.Shutdown(5000, 0), config.shutdown());
    assertEquals(new ServiceConfig.Management("0.0.0.0", ServiceConfig.Management.OFF), config.management());
    assertEquals(new ServiceConfig.Admin(false, null), config.admin());
    assertEquals(new ServiceConfig.Metrics(true), config.metrics());
    assertEquals(new ServiceConfig.Log(false), config.log());
    assertEquals(new ServiceConfig.Cluster(false, "127.0.0.1", 5701, List.of()), config.cluster());
    assertEquals(new ServiceConfig.Simulate(false, false, 0, 0), config.simulate());
  }

  @Test
  void empty_conf_object_gives_the_defaults() {
    assertEquals(ConfigLoader.load(null, NO_ENV), ConfigLoader.load("{}", NO_ENV));
    assertEquals(ConfigLoader.load(null, NO_ENV), ConfigLoader.fromJson(new JsonObject(), NO_ENV));
  }

  @Test
  void zero_instances_means_one_per_core() {
    ServiceConfig config = ConfigLoader.load("{\"http\":{\"instances\":0}}", NO_ENV);

    assertEquals(Runtime.getRuntime().availableProcessors(), config.http().instanceCount());
    assertEquals(3, ConfigLoader.load("{\"http\":{\"instances\":3}}", NO_ENV).http().instanceCount());
  }

  // ---- layers ---------------------------------------------------------------------------------------

  @Test
  void conf_overrides_defaults_and_env_overrides_conf() {
    String conf = "{\"http\":{\"port\":9000},\"worker\":{\"intervalMs\":100}}";
    Map<String, String> env = Map.of("SERVICE_HTTP_PORT", "9100");

    ServiceConfig config = ConfigLoader.load(conf, env);

    assertEquals(9100, config.http().port(), "env wins over conf");
    assertEquals(100, config.worker().intervalMs(), "conf wins over the default");
    assertEquals(500, config.worker().jobMs(), "a key set nowhere keeps its default");
    assertEquals("0.0.0.0", config.http().host());
  }

  @Test
  void env_overrides_the_default_without_a_conf() {
    ServiceConfig config = ConfigLoader.load(null, Map.of(
        "SERVICE_SHUTDOWN_DRAIN_DELAY_MS", "250",
        "SERVICE_SIMULATE_WORKER_START_FAILURE", "true"));

    assertEquals(250, config.shutdown().drainDelayMs());
    assertTrue(config.simulate().workerStartFailure());
  }

  @Test
  void conf_can_be_a_file_path(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("service.json");
    Files.writeString(file, "{\"http\":{\"port\":0,\"host\":\"127.0.0.1\"},"
        + "\"admin\":{\"shutdownEndpoint\":true,\"token\":\"t\"}}");

    ServiceConfig config = ConfigLoader.load(file.toString(), NO_ENV);

    assertEquals(0, config.http().port());
    assertEquals("127.0.0.1", config.http().host());
    assertTrue(config.admin().shutdownEndpoint());
  }

  @Test
  void conf_can_be_inline_json_even_with_leading_blanks() {
    assertEquals(1234, ConfigLoader.load("{\"http\":{\"port\":1234}}", NO_ENV).http().port());
    assertEquals(1234, ConfigLoader.load("  \n{\"http\":{\"port\":1234}}", NO_ENV).http().port());
  }

  @Test
  void from_json_applies_env_on_top_of_the_given_object() {
    JsonObject conf = new JsonObject().put("worker", new JsonObject().put("intervalMs", 20).put("jobMs", 10));

    ServiceConfig config = ConfigLoader.fromJson(conf, Map.of("SERVICE_WORKER_JOB_MS", "5"));

    assertEquals(new ServiceConfig.Worker(20, 5, 60_000), config.worker());
  }

  @Test
  void env_values_are_trimmed_and_booleans_ignore_case() {
    ServiceConfig config = ConfigLoader.load(null, Map.of(
        "SERVICE_HTTP_PORT", " 9000 ",
        "SERVICE_ADMIN_SHUTDOWN_ENDPOINT", "TRUE",
        "SERVICE_ADMIN_TOKEN", " from-a-secret-file\n"));

    assertEquals(9000, config.http().port());
    assertTrue(config.admin().shutdownEndpoint());
    assertEquals("from-a-secret-file", config.admin().token(), "a secret file's trailing newline is no part of it");
  }

  @Test
  void unrelated_environment_variables_are_ignored() {
    Map<String, String> env = Map.of("PATH", "/usr/bin", "HOME", "/root", "HTTP_PORT", "abc");

    assertEquals(ConfigLoader.load(null, NO_ENV), ConfigLoader.load(null, env));
  }

  @Test
  void every_key_has_a_sample_value() {
    assertEquals(leafKeys(ServiceConfig.defaults(), ""), new ArrayList<>(SAMPLES.keySet()),
        "a new key needs a sample in SAMPLES, so that its variable is tested");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleKeys")
  void every_key_is_set_alike_from_conf_and_from_its_variable(String key) {
    String value = SAMPLES.get(key);
    String section = key.substring(0, key.indexOf('.'));
    String name = key.substring(key.indexOf('.') + 1);
    JsonObject conf = new JsonObject().put(section, new JsonObject().put(name, typed(key, value)));
    Map<String, String> env = new HashMap<>(Map.of(EnvOverlay.envName(key), value));
    String companion = COMPANIONS.get(key);
    if (companion != null) {
      conf.getJsonObject(section).put(companion.substring(companion.indexOf('.') + 1), SAMPLES.get(companion));
      env.put(EnvOverlay.envName(companion), SAMPLES.get(companion));
    }

    ServiceConfig fromConf = ConfigLoader.load(conf.encode(), NO_ENV);
    ServiceConfig fromEnv = ConfigLoader.load(null, env);

    assertNotEquals(settings(ConfigLoader.load(null, NO_ENV)), settings(fromConf), "the sample must differ from the default");
    assertEquals(settings(fromConf), settings(fromEnv));
    assertEquals(Source.FILE, fromConf.provenance().source(key));
    assertEquals(Source.ENV, fromEnv.provenance().source(key));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http.port,                    SERVICE_HTTP_PORT",
      "http.maxRequestLineBytes,     SERVICE_HTTP_MAX_REQUEST_LINE_BYTES",
      "http.idleTimeoutMs,           SERVICE_HTTP_IDLE_TIMEOUT_MS",
      "worker.intervalMs,            SERVICE_WORKER_INTERVAL_MS",
      "startup.timeoutMs,            SERVICE_STARTUP_TIMEOUT_MS",
      "startup.warmupMs,             SERVICE_STARTUP_WARMUP_MS",
      "shutdown.timeoutMs,           SERVICE_SHUTDOWN_TIMEOUT_MS",
      "shutdown.drainDelayMs,        SERVICE_SHUTDOWN_DRAIN_DELAY_MS",
      "admin.shutdownEndpoint,       SERVICE_ADMIN_SHUTDOWN_ENDPOINT",
      "metrics.enabled,              SERVICE_METRICS_ENABLED",
      "simulate.workerStartFailure,  SERVICE_SIMULATE_WORKER_START_FAILURE",
      "simulate.workerFailAfterJobs, SERVICE_SIMULATE_WORKER_FAIL_AFTER_JOBS",
      "cluster.members,              SERVICE_CLUSTER_MEMBERS",
  })
  void env_name_is_the_key_path_in_upper_snake_case(String key, String variable) {
    assertEquals(variable, EnvOverlay.envName(key));
  }

  // ---- limits that are still valid -------------------------------------------------------------------

  @ParameterizedTest(name = "port {0}")
  @CsvSource({"0", "1", "65535"})
  void accepts_ports_at_the_ends_of_the_range(int port) {
    assertEquals(port, ConfigLoader.load("{\"http\":{\"port\":" + port + "}}", NO_ENV).http().port());
  }

  @Test
  void accepts_drain_delay_plus_job_just_under_the_timeout() {
    String conf = "{\"shutdown\":{\"timeoutMs\":1000,\"drainDelayMs\":600},\"worker\":{\"jobMs\":399}}";

    assertEquals(600, ConfigLoader.load(conf, NO_ENV).shutdown().drainDelayMs());
  }

  // ---- rejected configs ------------------------------------------------------------------------------

  static Stream<Arguments> invalidConfs() {
    return Stream.of(
        Arguments.of("{\"htp\":{}}", "htp", "unknown key"),
        Arguments.of("{\"http\":{\"prot\":8080}}", "http.prot", "unknown key"),
        Arguments.of("{\"http\":8080}", "http", "must be an object"),
        Arguments.of("{\"http\":null}", "http", "must be an object"),
        Arguments.of("{\"http\":{\"port\":\"abc\"}}", "http.port", "must be a whole number"),
        Arguments.of("{\"http\":{\"port\":1.5}}", "http.port", "must be a whole number"),
        Arguments.of("{\"http\":{\"port\":null}}", "http.port", "must be a whole number"),
        Arguments.of("{\"http\":{\"port\":70000}}", "http.port", "between 0 and 65535"),
        Arguments.of("{\"http\":{\"port\":-1}}", "http.port", "between 0 and 65535"),
        Arguments.of("{\"http\":{\"host\":8080}}", "http.host", "must be a string"),
        Arguments.of("{\"http\":{\"host\":\" \"}}", "http.host", "must not be empty"),
        Arguments.of("{\"http\":{\"instances\":-2}}", "http.instances", "between 0 and 1024"),
        Arguments.of("{\"admin\":{\"shutdownEndpoint\":\"yes\"}}", "admin.shutdownEndpoint", "true or false"),
        Arguments.of("{\"metrics\":{\"enabled\":1}}", "metrics.enabled", "true or false"),
        Arguments.of("{\"metrics\":true}", "metrics", "must be an object"),
        Arguments.of("{\"http\":{\"accessLog\":1}}", "http.accessLog", "true or false"),
        Arguments.of("{\"log\":{\"format\":\"xml\"}}", "log.format", "must be \"text\" or \"json\", got \"xml\""),
        Arguments.of("{\"log\":{\"format\":\"JSON\"}}", "log.format", "must be \"text\" or \"json\""),
        Arguments.of("{\"log\":{\"format\":true}}", "log.format", "must be a string"),
        Arguments.of("{\"worker\":{\"jobMs\":-1}}", "worker.jobMs", "must not be negative"),
        Arguments.of("{\"worker\":{\"jobTimeoutMs\":-1}}", "worker.jobTimeoutMs", "must not be negative"),
        Arguments.of("{\"worker\":{\"jobTimeoutMs\":\"1s\"}}", "worker.jobTimeoutMs", "must be a whole number"),
        Arguments.of("{\"admin\":{\"shutdownEndpoint\":true}}", "admin.token",
            "must be set when admin.shutdownEndpoint is true"),
        Arguments.of("{\"admin\":{\"shutdownEndpoint\":true,\"token\":\"\"}}", "admin.token", "must be set"),
        Arguments.of("{\"admin\":{\"shutdownEndpoint\":true,\"token\":null}}", "admin.token", "must be set"),
        Arguments.of("{\"admin\":{\"token\":\"two words\"}}", "admin.token", "visible ASCII"),
        Arguments.of("{\"admin\":{\"token\":{}}}", "admin.token", "must be a string"),
        Arguments.of("{\"worker\":{\"intervalMs\":0}}", "worker.intervalMs", "at least 1"),
        Arguments.of("{\"startup\":{\"timeoutMs\":0}}", "startup.timeoutMs", "at least 1"),
        Arguments.of("{\"startup\":{\"timeoutMs\":\"auto\"}}", "startup.timeoutMs", "must be a whole number"),
        Arguments.of("{\"shutdown\":{\"timeoutMs\":0}}", "shutdown.timeoutMs", "at least 1"),
        Arguments.of("{\"shutdown\":{\"drainDelayMs\":-5}}", "shutdown.drainDelayMs", "must not be negative"),
        Arguments.of("{\"shutdown\":{\"timeoutMs\":1000,\"drainDelayMs\":600},\"worker\":{\"jobMs\":400}}",
            "shutdown.drainDelayMs", "must be less than shutdown.timeoutMs"),
        Arguments.of("{\"shutdown\":{\"timeoutMs\":400}}", "shutdown.drainDelayMs", "must be less than shutdown.timeoutMs"),
        Arguments.of("{\"simulate\":{\"workerFailAfterJobs\":-1}}", "simulate.workerFailAfterJobs", "must not be negative"),
        Arguments.of("{\"cluster\":{\"enabled\":\"yes\"}}", "cluster.enabled", "true or false"),
        Arguments.of("{\"cluster\":{\"port\":0}}", "cluster.port", "between 1 and 65535"),
        Arguments.of("{\"cluster\":{\"port\":65536}}", "cluster.port", "between 1 and 65535"),
        Arguments.of("{\"cluster\":{\"host\":\"\"}}", "cluster.host", "must not be empty"),
        Arguments.of("{\"cluster\":{\"members\":\"10.0.0.1:5701\"}}", "cluster.members", "must be a list"),
        Arguments.of("{\"cluster\":{\"members\":{}}}", "cluster.members", "must be a list"),
        Arguments.of("{\"cluster\":{\"members\":[5701]}}", "cluster.members[0]", "must be a string"),
        Arguments.of("{\"cluster\":{\"members\":[\"a:5701\",\"10.0.0.2\"]}}", "cluster.members[1]", "host:port"),
        Arguments.of("{\"cluster\":{\"members\":[\":5701\"]}}", "cluster.members[0]", "host:port"),
        Arguments.of("{\"cluster\":{\"members\":[\"::1:5701\"]}}", "cluster.members[0]", "host:port"),
        Arguments.of("{\"cluster\":{\"members\":[\"10.0.0.2:0\"]}}", "cluster.members[0]", "between 1 and 65535"),
        Arguments.of("{\"cluster\":{\"members\":[\"10.0.0.2:70000\"]}}", "cluster.members[0]", "between 1 and 65535"),
        Arguments.of("{\"cluster\":{\"members\":[\"10.0.0.2:http\"]}}", "cluster.members[0]", "between 1 and 65535"),
        Arguments.of("{\"http\":{\"port\":", "-conf", "malformed JSON"),
        Arguments.of("{\"http\":{}} trailing", "-conf", "malformed JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfs")
  void rejects_unusable_conf_naming_the_key(String conf, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, NO_ENV));

    assertRejected(e, key, problem);
  }

  @Test
  void rejects_a_missing_file_naming_the_conf_argument(@TempDir Path dir) {
    String missing = dir.resolve("nope.json").toString();

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, NO_ENV));

    assertRejected(e, "-conf", "cannot read file");
    assertTrue(e.getMessage().contains(missing), e.getMessage());
  }

  @Test
  void rejects_a_directory_as_conf_file(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.toString(), NO_ENV));

    assertRejected(e, "-conf", "cannot read file");
  }

  @Test
  void rejects_a_file_with_malformed_json(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\n  \"http\": { \"port\": 8080,\n}\n");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file.toString(), NO_ENV));

    assertRejected(e, "-conf", "malformed JSON");
  }

  @Test
  void rejects_a_file_holding_a_json_array(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("array.json");
    Files.writeString(file, "[1, 2]");

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file.toString(), NO_ENV));

    assertRejected(e, "-conf", "malformed JSON");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SERVICE_HTTP_PORT,                       abc,   SERVICE_HTTP_PORT (http.port),   must be a whole number",
      "SERVICE_HTTP_PORT,                       1.5,   SERVICE_HTTP_PORT (http.port),   must be a whole number",
      "SERVICE_HTTP_PORT,                       '',    SERVICE_HTTP_PORT (http.port),   must be a whole number",
      "SERVICE_HTTP_PORT,                       70000, http.port,                       between 0 and 65535",
      "SERVICE_ADMIN_SHUTDOWN_ENDPOINT,         yes,   SERVICE_ADMIN_SHUTDOWN_ENDPOINT (admin.shutdownEndpoint), true or false",
      "SERVICE_METRICS_ENABLED,                 off,   SERVICE_METRICS_ENABLED (metrics.enabled), true or false",
      "SERVICE_WORKER_INTERVAL_MS,              0,     worker.intervalMs,               at least 1",
      "SERVICE_WORKER_JOB_MS,                   -10,   worker.jobMs,                    must not be negative",
      "SERVICE_SHUTDOWN_TIMEOUT_MS,             100,   shutdown.drainDelayMs,           must be less than shutdown.timeoutMs",
      "SERVICE_HTTP_HOST,                       '',    http.host,                       must not be empty",
      "SERVICE_LOG_FORMAT,                      logfmt, log.format,                     must be \"text\" or \"json\"",
      "SERVICE_HTTP_ACCESS_LOG,                 on,    SERVICE_HTTP_ACCESS_LOG (http.accessLog), true or false",
      "SERVICE_CLUSTER_PORT,                    0,     cluster.port,                    between 1 and 65535",
      "SERVICE_CLUSTER_ENABLED,                 on,    SERVICE_CLUSTER_ENABLED (cluster.enabled), true or false",
      "SERVICE_CLUSTER_MEMBERS,                 'a:1,b', cluster.members[1],            host:port",
      "SERVICE_CLUSTER_MEMBERS,                 'a:1,b:99999', cluster.members[1],      between 1 and 65535",
  })
  void rejects_a_bad_variable_naming_it(String variable, String value, String key, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(variable, value)));

    assertRejected(e, key, problem);
  }

  @Test
  void cluster_members_variable_is_comma_separated_with_blanks_ignored() {
    ServiceConfig config = ConfigLoader.load(null,
        Map.of("SERVICE_CLUSTER_MEMBERS", " 10.0.0.1:5701, 10.0.0.2:5701 ,,[fd00::3]:5701 "));

    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701", "[fd00::3]:5701"), config.cluster().members());
  }

  @Test
  void an_empty_cluster_members_variable_clears_the_list_from_the_file() {
    ServiceConfig config = ConfigLoader.load("{\"cluster\":{\"members\":[\"10.0.0.1:5701\"]}}",
        Map.of("SERVICE_CLUSTER_MEMBERS", ""));

    assertEquals(List.of(), config.cluster().members());
    assertEquals(Source.ENV, config.provenance().source("cluster.members"));
  }

  @Test
  void cluster_keys_from_the_file() {
    ServiceConfig config = ConfigLoader.load("{\"cluster\":{\"enabled\":true,\"host\":\"10.1.2.3\",\"port\":5801,"
        + "\"members\":[\"10.1.2.3:5801\",\" 10.1.2.4:5801 \"]}}", NO_ENV);

    assertEquals(new ServiceConfig.Cluster(true, "10.1.2.3", 5801, List.of("10.1.2.3:5801", "10.1.2.4:5801")),
        config.cluster());
  }

  @Test
  void env_is_checked_even_when_conf_is_valid() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"http\":{\"port\":0}}", Map.of("SERVICE_HTTP_PORT", "abc")));

    assertRejected(e, "SERVICE_HTTP_PORT (http.port)", "got 'abc'");
  }

  static Stream<Arguments> valuesWithLineBreaks() {
    return Stream.of(
        Arguments.of((Executable) () -> ConfigLoader.load("{\"http\":{\"port\":\"80\\n80\"}}", NO_ENV)),
        Arguments.of((Executable) () -> ConfigLoader.load("{\"http\\nx\":{}}", NO_ENV)),
        Arguments.of((Executable) () -> ConfigLoader.load("missing\nfile.json", NO_ENV)),
        Arguments.of((Executable) () -> ConfigLoader.load(null, Map.of("SERVICE_HTTP_PORT", "80\r\n80"))));
  }

  /** The message becomes one stderr line: a line break in what the user gave must not split it. */
  @ParameterizedTest
  @MethodSource("valuesWithLineBreaks")
  void message_stays_on_one_line_when_the_bad_value_has_line_breaks(Executable load) {
    ConfigException e = assertThrows(ConfigException.class, load);

    assertOneLine(e.getMessage());
  }

  // ---- "auto" shutdown values ---------------------------------------------------------------------

  @Test
  void auto_resolves_to_5000_and_0_off_kubernetes() {
    ServiceConfig config = ConfigLoader.load(null, NO_ENV);

    assertEquals(new ServiceConfig.Shutdown(5000, 0), config.shutdown());
    assertEquals(Source.AUTO, config.provenance().source("shutdown.timeoutMs"));
    assertEquals(Source.AUTO, config.provenance().source("shutdown.drainDelayMs"));
    assertFalse(config.provenance().kubernetes());
  }

  @Test
  void auto_resolves_to_25000_and_5000_when_both_kubernetes_variables_are_set() {
    ServiceConfig config = ConfigLoader.load(null, K8S);

    assertEquals(new ServiceConfig.Shutdown(25_000, 5000), config.shutdown());
    assertTrue(config.provenance().kubernetes());
    assertEquals(Source.AUTO, config.provenance().source("shutdown.drainDelayMs"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("partialKubernetes")
  void auto_stays_off_kubernetes_unless_both_variables_are_set_and_not_empty(Map<String, String> env) {
    ServiceConfig config = ConfigLoader.load(null, env);

    assertEquals(new ServiceConfig.Shutdown(5000, 0), config.shutdown());
    assertFalse(config.provenance().kubernetes());
  }

  static Stream<Map<String, String>> partialKubernetes() {
    return Stream.of(
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        Map.of("KUBERNETES_SERVICE_PORT", "443"),
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", ""),
        Map.of("KUBERNETES_SERVICE_HOST", " ", "KUBERNETES_SERVICE_PORT", "443"),
        Map.of("KUBERNETES_PORT", "tcp://10.96.0.1:443"));
  }

  // ---- startup.warmupMs ----------------------------------------------------------------------------

  @Test
  void warm_up_is_off_by_default_outside_kubernetes_and_on_with_auto_on_kubernetes() {
    ServiceConfig local = ConfigLoader.load(null, NO_ENV);
    ServiceConfig pod = ConfigLoader.load(null, K8S);

    assertEquals(0, local.startup().warmupMs());
    assertEquals(AutoWarmup.KUBERNETES_WARMUP_MS, pod.startup().warmupMs());
    assertTrue(pod.startup().warmupMs() > 0);
    assertEquals(Source.AUTO, pod.provenance().source("startup.warmupMs"));
    assertEquals("auto: Kubernetes detected by KUBERNETES_SERVICE_HOST/PORT", pod.provenance().origin("startup.warmupMs"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"startup\":{\"warmupMs\":0}}      | 0",
      "{\"startup\":{\"warmupMs\":1200}}   | 1200",
      "{\"startup\":{\"warmupMs\":\"auto\"}} | 2500",
  })
  void warm_up_takes_a_number_or_auto_in_the_file(String conf, long expected) {
    assertEquals(expected, ConfigLoader.load(conf, K8S).startup().warmupMs());
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"auto, 0", "AUTO, 0", "800, 800", "' 0 ', 0"})
  void warm_up_from_its_variable(String value, long expected) {
    ServiceConfig config = ConfigLoader.load("{\"startup\":{\"warmupMs\":3000}}", Map.of("SERVICE_STARTUP_WARMUP_MS", value));

    assertEquals(expected, config.startup().warmupMs());
    // The variable overrides the file; "auto" from it is then resolved like any auto.
    assertEquals(value.trim().equalsIgnoreCase("auto") ? Source.AUTO : Source.ENV,
        config.provenance().source("startup.warmupMs"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"startup\":{\"warmupMs\":-1}}      | must not be negative",
      "{\"startup\":{\"warmupMs\":\"soon\"}}  | must be a whole number or \"auto\"",
      "{\"startup\":{\"warmupMs\":true}}    | must be a whole number or \"auto\"",
      "{\"startup\":{\"warmupMs\":1.5}}     | must be a whole number or \"auto\"",
  })
  void rejects_a_bad_warm_up_naming_the_key(String conf, String problem) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, NO_ENV));

    assertRejected(e, "startup.warmupMs", problem);
  }

  @Test
  void rejects_a_bad_warm_up_variable_naming_it() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SERVICE_STARTUP_WARMUP_MS", "soon")));

    assertRejected(e, "SERVICE_STARTUP_WARMUP_MS (startup.warmupMs)", "must be a whole number or \"auto\"");
  }

  @Test
  void explicit_numbers_in_the_file_win_over_auto_on_kubernetes() {
    ServiceConfig config = ConfigLoader.load("{\"shutdown\":{\"timeoutMs\":9000,\"drainDelayMs\":1000}}", K8S);

    assertEquals(new ServiceConfig.Shutdown(9000, 1000), config.shutdown());
    assertEquals(Source.FILE, config.provenance().source("shutdown.timeoutMs"));
    assertEquals(Source.FILE, config.provenance().source("shutdown.drainDelayMs"));
  }

  @Test
  void explicit_numbers_in_the_environment_win_over_auto_in_the_file() {
    String conf = "{\"shutdown\":{\"timeoutMs\":\"auto\",\"drainDelayMs\":\"auto\"}}";
    Map<String, String> env = new LinkedHashMap<>(K8S);
    env.put("SERVICE_SHUTDOWN_TIMEOUT_MS", "12000");

    ServiceConfig config = ConfigLoader.load(conf, env);

    assertEquals(new ServiceConfig.Shutdown(12_000, 5000), config.shutdown(), "each key resolves on its own");
    assertEquals(Source.ENV, config.provenance().source("shutdown.timeoutMs"));
    assertEquals(Source.AUTO, config.provenance().source("shutdown.drainDelayMs"));
  }

  @Test
  void an_explicit_deadline_leaves_the_drain_delay_auto() {
    ServiceConfig config = ConfigLoader.load("{\"shutdown\":{\"timeoutMs\":40000}}", K8S);

    assertEquals(new ServiceConfig.Shutdown(40_000, 5000), config.shutdown());
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"auto", "' auto '", "AUTO"})
  void auto_from_the_environment_overrides_a_number_in_the_file(String value) {
    Map<String, String> env = new LinkedHashMap<>(K8S);
    env.put("SERVICE_SHUTDOWN_TIMEOUT_MS", value);
    env.put("SERVICE_SHUTDOWN_DRAIN_DELAY_MS", value);

    ServiceConfig config = ConfigLoader.load("{\"shutdown\":{\"timeoutMs\":9000,\"drainDelayMs\":100}}", env);

    assertEquals(new ServiceConfig.Shutdown(25_000, 5000), config.shutdown());
    assertEquals(Source.AUTO, config.provenance().source("shutdown.timeoutMs"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"shutdown\":{\"timeoutMs\":\"soon\"}}     | shutdown.timeoutMs",
      "{\"shutdown\":{\"timeoutMs\":\"AUTO\"}}     | shutdown.timeoutMs",
      "{\"shutdown\":{\"drainDelayMs\":\"\"}}      | shutdown.drainDelayMs",
      "{\"shutdown\":{\"drainDelayMs\":true}}    | shutdown.drainDelayMs",
      "{\"shutdown\":{\"timeoutMs\":2.5}}        | shutdown.timeoutMs",
  })
  void rejects_a_string_other_than_auto_in_the_file(String conf, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(conf, NO_ENV));

    assertRejected(e, key, "must be a whole number or \"auto\"");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "SERVICE_SHUTDOWN_TIMEOUT_MS,     soon, SERVICE_SHUTDOWN_TIMEOUT_MS (shutdown.timeoutMs)",
      "SERVICE_SHUTDOWN_DRAIN_DELAY_MS, '',   SERVICE_SHUTDOWN_DRAIN_DELAY_MS (shutdown.drainDelayMs)",
      "SERVICE_SHUTDOWN_DRAIN_DELAY_MS, -1,   shutdown.drainDelayMs",
  })
  void rejects_a_bad_auto_variable_naming_it(String variable, String value, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(variable, value)));

    assertRejected(e, key, value.equals("-1") ? "must not be negative" : "must be a whole number or \"auto\"");
  }

  @Test
  void the_rule_applies_to_the_auto_resolved_drain_delay_and_says_it_was_auto() {
    // On Kubernetes the drain delay resolves to 5000: with an explicit 5000 ms deadline no job could finish.
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"shutdown\":{\"timeoutMs\":5000}}", K8S));

    assertRejected(e, "shutdown.drainDelayMs", "drainDelayMs (5000, auto-resolved: Kubernetes detected");
    assertTrue(e.getMessage().contains("shutdown.timeoutMs (5000)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; set shutdown.drainDelayMs to a number"), e.getMessage());
  }

  @Test
  void the_rule_applies_to_the_auto_resolved_deadline_and_says_it_was_auto() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"shutdown\":{\"drainDelayMs\":4800}}", NO_ENV));

    assertRejected(e, "shutdown.drainDelayMs", "shutdown.timeoutMs (5000, auto-resolved: not on Kubernetes)");
    assertTrue(e.getMessage().endsWith("; set shutdown.timeoutMs to a number"), e.getMessage());
  }

  @Test
  void the_rule_names_both_auto_values_when_a_long_job_outgrows_them() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"worker\":{\"jobMs\":20000}}", K8S));

    assertRejected(e, "shutdown.drainDelayMs", "plus worker.jobMs (20000)");
    assertTrue(e.getMessage().endsWith("; set shutdown.drainDelayMs or shutdown.timeoutMs to a number"), e.getMessage());
    assertEquals(25_000 - 5000 - 1, ConfigLoader.load("{\"worker\":{\"jobMs\":19999}}", K8S).worker().jobMs());
  }

  // ---- job timeout and admin token ---------------------------------------------------------------------

  /** A job meant to outlast its timeout is how a hang is simulated: the stop waits for the timeout at most. */
  @Test
  void a_job_longer_than_its_timeout_counts_for_the_shutdown_rule_as_long_as_the_timeout() {
    ServiceConfig hang = ConfigLoader.load("{\"worker\":{\"jobMs\":600000,\"jobTimeoutMs\":1000}}", NO_ENV);
    assertEquals(1000, hang.worker().longestJobMs());

    ConfigException noTimeout = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"worker\":{\"jobMs\":600000,\"jobTimeoutMs\":0}}", NO_ENV));
    assertRejected(noTimeout, "shutdown.drainDelayMs", "plus worker.jobMs (600000)");
    ConfigException longTimeout = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"worker\":{\"jobMs\":600000,\"jobTimeoutMs\":5000}}", NO_ENV));
    assertRejected(longTimeout, "shutdown.drainDelayMs", "plus worker.jobTimeoutMs (5000)");
  }

  @Test
  void a_job_timeout_at_or_above_the_shutdown_deadline_is_allowed() {
    assertEquals(5000, ConfigLoader.load("{\"worker\":{\"jobTimeoutMs\":5000}}", NO_ENV).worker().jobTimeoutMs());
    assertEquals(0, ConfigLoader.load("{\"worker\":{\"jobTimeoutMs\":0}}", NO_ENV).worker().jobTimeoutMs());
  }

  @Test
  void the_admin_token_is_masked_wherever_the_config_is_shown() {
    String token = "do-not-print-me";
    ServiceConfig config = ConfigLoader.load(null, Map.of("SERVICE_ADMIN_SHUTDOWN_ENDPOINT", "true",
        "SERVICE_ADMIN_TOKEN", token));

    assertEquals(token, config.admin().token());
    assertFalse(config.toString().contains(token), config.toString());
    assertFalse(ConfigReport.printable(config).encode().contains(token));
    assertEquals("***", ConfigReport.printable(config).getJsonObject("config").getJsonObject("admin").getString("token"));
    assertEquals(Source.ENV, config.provenance().source("admin.token"));
  }

  @Test
  void a_token_of_the_wrong_type_is_rejected_without_quoting_it() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"admin\":{\"token\":918273645}}", NO_ENV));

    assertRejected(e, "admin.token", "must be a string");
    assertFalse(e.getMessage().contains("918273645"), e.getMessage());
  }

  @Test
  void the_rule_on_explicit_values_mentions_no_auto() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load("{\"shutdown\":{\"timeoutMs\":1000,\"drainDelayMs\":600}}", K8S));

    assertFalse(e.getMessage().contains("auto"), e.getMessage());
  }

  @Test
  void sources_say_default_file_or_env_per_key() {
    ServiceConfig config = ConfigLoader.load("{\"http\":{\"port\":0}}", Map.of("SERVICE_WORKER_JOB_MS", "10"));

    assertEquals(Source.FILE, config.provenance().source("http.port"));
    assertEquals(Source.ENV, config.provenance().source("worker.jobMs"));
    assertEquals(Source.DEFAULT, config.provenance().source("http.host"));
    assertEquals(leafKeys(ServiceConfig.defaults(), ""), new ArrayList<>(config.provenance().sources().keySet()));
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  static Stream<String> sampleKeys() {
    return SAMPLES.keySet().stream();
  }

  /** The values, without where they came from: configs from different layers compare equal by these. */
  private static List<Object> settings(ServiceConfig c) {
    return List.of(c.http(), c.worker(), c.startup(), c.shutdown(), c.management(), c.admin(), c.metrics(), c.log(),
        c.cluster(), c.simulate());
  }

  private static void assertRejected(ConfigException e, String key, String problem) {
    String message = e.getMessage();
    assertAll(
        () -> assertEquals(key, e.key()),
        () -> assertTrue(message.startsWith(key + ": "), "starts with the key: " + message),
        () -> assertTrue(message.contains(problem), "says '" + problem + "': " + message),
        () -> assertOneLine(message));
  }

  private static void assertOneLine(String message) {
    assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
  }

  /** As JSON: a list is comma-separated in its variable and an array in the file. */
  private static Object typed(String key, String value) {
    if (key.equals("cluster.members")) {
      return new JsonArray(List.of(value.split(",")));
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException notANumber) {
      return value;
    }
  }

  private static List<String> leafKeys(JsonObject tree, String prefix) {
    List<String> keys = new ArrayList<>();
    for (String name : tree.fieldNames()) {
      Object value = tree.getValue(name);
      if (value instanceof JsonObject section) {
        keys.addAll(leafKeys(section, prefix + name + "."));
      } else {
        keys.add(prefix + name);
      }
    }
    return keys;
  }
}
