package io.example.service.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ServiceConfig} from built-in defaults, then {@code -conf} (a file path or inline JSON),
 * then {@code SERVICE_*} environment variables, each layer overriding the one before.
 *
 * <p>The defaults tree is also the schema: a key it does not have is unknown, and a value must have the
 * type of its default (the keys in {@code WORDS} take a whole number or their word); {@link EnvOverlay} reads the environment's text. Every problem is a
 * {@link ConfigException} naming the key. Last, {@code "auto"} is resolved from the same environment
 * ({@link AutoShutdown}, {@link AutoWarmup}), and each key's {@link Source} is kept in the config's
 * {@link Provenance}.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "SERVICE_";
  /** Keys that take a whole number or one word: "auto" for the shutdown values, "off" for the management port. */
  static final Map<String, String> WORDS = Map.of(AutoShutdown.TIMEOUT_KEY, AutoShutdown.AUTO,
      AutoShutdown.DRAIN_KEY, AutoShutdown.AUTO, AutoWarmup.KEY, AutoShutdown.AUTO,
      "management.port", ServiceConfig.Management.OFF_WORD);

  private ConfigLoader() {}

  /** @param conf the {@code -conf} argument, or null when none was given */
  public static ServiceConfig load(String conf, Map<String, String> env) {
    return fromJson(conf == null ? new JsonObject() : parseConf(conf), env);
  }

  /** For launchers that have already parsed {@code -conf} into JSON. */
  public static ServiceConfig fromJson(JsonObject conf, Map<String, String> env) {
    JsonObject merged = ServiceConfig.defaults();
    Map<String, Source> sources = new LinkedHashMap<>();
    leafKeys(merged, "").forEach(key -> sources.put(key, Source.DEFAULT));
    overlay(merged, conf, "", sources);
    EnvOverlay.overlay(merged, "", env, sources);
    boolean kubernetes = AutoShutdown.onKubernetes(env);
    AutoShutdown.resolve(merged, sources, kubernetes);
    AutoWarmup.resolve(merged, sources, kubernetes);
    return ConfigReader.read(merged, new Provenance(merged, sources, kubernetes));
  }

  /** Every key of a tree, in its order: {@code http.host}, {@code http.port}, ... */
  static List<String> leafKeys(JsonObject tree, String prefix) {
    List<String> keys = new ArrayList<>();
    for (String name : tree.fieldNames()) {
      if (tree.getValue(name) instanceof JsonObject section) {
        keys.addAll(leafKeys(section, prefix + name + "."));
      } else {
        keys.add(prefix + name);
      }
    }
    return keys;
  }

  private static JsonObject parseConf(String conf) {
    String text = conf.trim();
    if (!text.startsWith("{")) {
      try {
        text = Files.readString(Path.of(conf), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("-conf", "cannot read file '" + conf + "' (" + e.getClass().getSimpleName() + ")");
      }
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      // Jackson's message spans lines and quotes the whole source: keep its first line only.
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("not a JSON object");
      throw new ConfigException("-conf", "malformed JSON: " + why);
    }
  }

  private static void overlay(JsonObject target, JsonObject source, String prefix, Map<String, Source> sources) {
    for (String name : source.fieldNames()) {
      String key = prefix + name;
      if (!target.containsKey(name)) {
        throw new ConfigException(key, "unknown key");
      }
      Object current = target.getValue(name);
      Object value = source.getValue(name);
      if (current instanceof JsonObject section) {
        if (!(value instanceof JsonObject given)) {
          throw new ConfigException(key, "must be an object, got " + describe(value));
        }
        overlay(section, given, key + ".", sources);
      } else {
        target.put(name, checkType(key, current, value));
        sources.put(key, Source.FILE);
      }
    }
  }

  private static Object checkType(String key, Object template, Object value) {
    String word = WORDS.get(key);
    if (word != null) {
      if (word.equals(value) || value instanceof Integer || value instanceof Long) {
        return value instanceof Number n ? n.longValue() : value;
      }
      throw new ConfigException(key, "must be a whole number or \"" + word + "\", got " + describe(value));
    }
    // A key unset by default (admin.token, a secret) takes a string, or null; its message quotes no value.
    if (template instanceof Boolean && value instanceof Boolean
        || template instanceof String && value instanceof String
        || template == null && (value == null || value instanceof String)) {
      return value;
    }
    if (template instanceof Number && (value instanceof Integer || value instanceof Long)) {
      return ((Number) value).longValue();
    }
    if (template instanceof JsonArray && value instanceof JsonArray list) {
      return list.copy(); // its entries are checked with the key's range
    }
    String wanted = template instanceof Number ? "a whole number" : template instanceof Boolean ? "true or false"
        : template instanceof JsonArray ? "a list" : "a string";
    throw new ConfigException(key, "must be " + wanted + (template == null ? "" : ", got " + describe(value)));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    return value instanceof JsonObject ? "an object" : value instanceof JsonArray ? "a list" : value.toString();
  }
}
