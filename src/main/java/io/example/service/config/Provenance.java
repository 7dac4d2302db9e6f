package io.example.service.config;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the configuration was made of: the resolved tree (every key, {@code "auto"} replaced by its number, the
 * admin token masked), each key's {@link Source}, and whether Kubernetes was detected. It explains the values;
 * it never changes them.
 */
public record Provenance(JsonObject resolved, Map<String, Source> sources, boolean kubernetes) {

  public Provenance {
    resolved = masked(resolved.copy());
    sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /** The tree is for showing, so the admin token, when set, is {@value ServiceConfig.Admin#MASK} here. */
  private static JsonObject masked(JsonObject tree) {
    JsonObject admin = tree.getJsonObject("admin");
    if (admin != null && admin.getValue("token") != null) {
      admin.put("token", ServiceConfig.Admin.MASK);
    }
    return tree;
  }

  /** A copy: JsonObject is mutable, and the config is shared by every verticle. */
  @Override
  public JsonObject resolved() {
    return resolved.copy();
  }

  public Source source(String key) {
    return sources.getOrDefault(key, Source.DEFAULT);
  }

  /** How a key got its value, in words: {@code from SERVICE_HTTP_PORT}, {@code auto: not on Kubernetes}. */
  public String origin(String key) {
    return switch (source(key)) {
      case DEFAULT -> "default";
      case FILE -> "from -conf";
      case ENV -> "from " + EnvOverlay.envName(key);
      case AUTO -> "auto: " + AutoShutdown.reason(kubernetes);
    };
  }
}
