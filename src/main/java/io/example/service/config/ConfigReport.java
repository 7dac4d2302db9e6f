package io.example.service.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says what the configuration is: the start log line, {@code --print-config} and the key list of {@code --help}. */
public final class ConfigReport {

  private static final String DEMO_SECTION = "simulate.";

  private ConfigReport() {}

  /** Once at start, in every launch mode: the shutdown values in force and why they are what they are. */
  public static void logAtStart(ServiceConfig config) {
    // The logger is fetched here, not in a static field: --help and --print-config use this class and
    // must not start logging, which costs a few hundred classes.
    Logger log = LoggerFactory.getLogger(ConfigReport.class);
    log.info("{}", shutdownLine(config));
  }

  /** {@code shutdown: deadline 25000 ms, drain delay 5000 ms (auto: Kubernetes detected by ...)}. */
  public static String shutdownLine(ServiceConfig config) {
    Provenance provenance = config.provenance();
    boolean bothAuto = provenance.source(AutoShutdown.TIMEOUT_KEY) == Source.AUTO
        && provenance.source(AutoShutdown.DRAIN_KEY) == Source.AUTO;
    String why = bothAuto ? provenance.origin(AutoShutdown.TIMEOUT_KEY)
        : "deadline " + provenance.origin(AutoShutdown.TIMEOUT_KEY)
            + ", drain delay " + provenance.origin(AutoShutdown.DRAIN_KEY);
    return "shutdown: deadline " + config.shutdown().timeoutMs() + " ms, drain delay "
        + config.shutdown().drainDelayMs() + " ms (" + why + ")";
  }

  /**
   * What {@code --print-config} prints: {@code {"config":{...},"sources":{"http.host":"default",...},
   * "kubernetes":false}}, with every key of the tree and {@code "auto"} resolved to its number.
   */
  public static JsonObject printable(ServiceConfig config) {
    Provenance provenance = config.provenance();
    JsonObject sources = new JsonObject();
    provenance.sources().forEach((key, source) -> sources.put(key, source.label()));
    return new JsonObject()
        .put("config", provenance.resolved())
        .put("sources", sources)
        .put("kubernetes", provenance.kubernetes());
  }

  /**
   * One line per key a deployment sets, from the defaults tree: the key, its default and its environment
   * variable. The {@code simulate.*} knobs are left out: see {@link #demoKeys()}.
   */
  public static List<String> keys() {
    return keyLines(false);
  }

  /**
   * The {@code simulate.*} knobs, in the same form. They make a part fail on purpose for demos and tests, so
   * --help lists them under a heading of their own, where nobody mistakes them for settings to tune.
   */
  public static List<String> demoKeys() {
    return keyLines(true);
  }

  private static List<String> keyLines(boolean demo) {
    JsonObject defaults = ServiceConfig.defaults();
    List<String> lines = new ArrayList<>();
    for (String key : ConfigLoader.leafKeys(defaults, "")) {
      if (key.startsWith(DEMO_SECTION) == demo) {
        Object value = defaultOf(defaults, key);
        lines.add(String.format("  %-34s default %-8s %s", key, value == null ? "none" : value, EnvOverlay.envName(key)));
      }
    }
    return lines;
  }

  /** What "auto" resolves to, for --help. */
  public static String autoNote() {
    return "\"auto\" (shutdown.*): a " + AutoShutdown.TIMEOUT_MS + " ms deadline and a " + AutoShutdown.DRAIN_DELAY_MS
        + " ms drain delay; on Kubernetes (" + AutoShutdown.HOST_VARIABLE + " and " + AutoShutdown.PORT_VARIABLE
        + " both set) " + AutoShutdown.KUBERNETES_TIMEOUT_MS + " ms and " + AutoShutdown.KUBERNETES_DRAIN_DELAY_MS + " ms.\n"
        + "\"auto\" (startup.warmupMs): no warm-up; on Kubernetes at most " + AutoWarmup.KUBERNETES_WARMUP_MS
        + " ms of warm-up before READY.";
  }

  private static Object defaultOf(JsonObject tree, String key) {
    String[] path = key.split("\\.");
    JsonObject section = tree;
    for (int i = 0; i < path.length - 1; i++) {
      section = section.getJsonObject(path[i]);
    }
    return section.getValue(path[path.length - 1]);
  }
}
