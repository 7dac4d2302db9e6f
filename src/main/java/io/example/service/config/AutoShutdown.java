package io.example.service.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code "auto"} for the shutdown deadline and drain delay. Off Kubernetes nothing stands between
 * the signal and the clients, so no drain delay is needed. On Kubernetes the pod leaves the Service's
 * endpoints only after the endpoint change has reached every node and balancer: 5 s of drain covers that,
 * and a 25 s deadline leaves room for the drain and a job inside the default 30 s grace period.
 */
final class AutoShutdown {

  static final String AUTO = "auto";
  static final String TIMEOUT_KEY = "shutdown.timeoutMs";
  static final String DRAIN_KEY = "shutdown.drainDelayMs";
  static final Set<String> KEYS = Set.of(TIMEOUT_KEY, DRAIN_KEY);
  /** Kubernetes sets both in every container, for the API server's Service (Spring Boot detects it so too). */
  static final String HOST_VARIABLE = "KUBERNETES_SERVICE_HOST";
  static final String PORT_VARIABLE = "KUBERNETES_SERVICE_PORT";

  static final long TIMEOUT_MS = 5000;
  static final long DRAIN_DELAY_MS = 0;
  static final long KUBERNETES_TIMEOUT_MS = 25_000;
  static final long KUBERNETES_DRAIN_DELAY_MS = 5000;

  private AutoShutdown() {}

  static boolean onKubernetes(Map<String, String> env) {
    return isSet(env.get(HOST_VARIABLE)) && isSet(env.get(PORT_VARIABLE));
  }

  /** Replaces each {@code "auto"} in the merged tree by its number, and marks that key's source as auto. */
  static void resolve(JsonObject merged, Map<String, Source> sources, boolean kubernetes) {
    JsonObject shutdown = merged.getJsonObject("shutdown");
    resolve(shutdown, "timeoutMs", kubernetes ? KUBERNETES_TIMEOUT_MS : TIMEOUT_MS, sources);
    resolve(shutdown, "drainDelayMs", kubernetes ? KUBERNETES_DRAIN_DELAY_MS : DRAIN_DELAY_MS, sources);
  }

  /** Why an auto value is what it is, for the start log and error messages. */
  static String reason(boolean kubernetes) {
    return kubernetes ? "Kubernetes detected by " + HOST_VARIABLE + "/PORT" : "not on Kubernetes";
  }

  private static void resolve(JsonObject section, String name, long value, Map<String, Source> sources) {
    if (AUTO.equals(section.getValue(name))) {
      section.put(name, value);
      sources.put("shutdown." + name, Source.AUTO);
    }
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
