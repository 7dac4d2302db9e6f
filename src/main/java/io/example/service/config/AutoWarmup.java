package io.example.service.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Resolves {@code "auto"} for {@code startup.warmupMs}. Off Kubernetes a start stays as quick as it was: a
 * developer's run or a test wants the port at once, and nothing sends a full share of traffic to a process
 * the moment it says READY. On Kubernetes a new replica gets exactly that from its Service, during a rolling
 * update or a scale-out: it warms its request path first, for at most {@link #KUBERNETES_WARMUP_MS}.
 * That bound: on 2 cores the JIT reached 0.3-0.85x of the warm throughput after 2-3 s of load, and the
 * warm-up ends earlier once its throughput stops rising; 2.5 s more keeps a plain Java 17 start under 4 s.
 */
final class AutoWarmup {

  static final String AUTO = AutoShutdown.AUTO;
  static final String KEY = "startup.warmupMs";
  static final long WARMUP_MS = 0;
  static final long KUBERNETES_WARMUP_MS = 2500;

  private AutoWarmup() {}

  /** Replaces {@code "auto"} by its number in the merged tree, and marks the key's source as auto. */
  static void resolve(JsonObject merged, Map<String, Source> sources, boolean kubernetes) {
    JsonObject startup = merged.getJsonObject("startup");
    if (AUTO.equals(startup.getValue("warmupMs"))) {
      startup.put("warmupMs", kubernetes ? KUBERNETES_WARMUP_MS : WARMUP_MS);
      sources.put(KEY, Source.AUTO);
    }
  }
}
