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
 * type of its default (the keys in {@code WORDS} take a whole number or their word). Every problem is a
 * {@link ConfigException} naming the key. Last, {@code "auto"} is resolved from the same environment
 * ({@link AutoShutdown}, {@link AutoWarmup}), and each key's {@link Source} is kept in the config's
 * {@link Provenance}.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "SERVICE_";
  /** Keys that take a whole number or one word: "auto" for the shutdown values, "off" for the management port. */
  private static final Map<String, String> WORDS = Map.of(AutoShutdown.TIMEOUT_KEY, AutoShutdown.AUTO,
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
    overlayEnv(merged, "", env, sources);
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

  /** The environment variable for a key: {@code shutdown.drainDelayMs} -> {@code SERVICE_SHUTDOWN_DRAIN_DELAY_MS}. */
  static String envName(String key) {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        name.append('_');
      } else if (Character.isUpperCase(c) && i > 0 && key.charAt(i - 1) != '.') {
        name.append('_').append(c);
      } else {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
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

  private static void overlayEnv(JsonObject target, String prefix, Map<String, String> env,
                                 Map<String, Source> sources) {
    for (String name : target.fieldNames()) {
      String key = prefix + name;
      Object current = target.getValue(name);
      if (current instanceof JsonObject section) {
        overlayEnv(section, key + ".", env, sources);
        continue;
      }
      String raw = env.get(envName(key));
      if (raw != null) {
        target.put(name, parseEnv(key, current, raw));
        sources.put(key, Source.ENV);
      }
    }
  }

  private static Object parseEnv(String key, Object template, String raw) {
    String where = envName(key) + " (" + key + ")";
    String text = raw.trim();
    if (template instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new ConfigException(where, "must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(text);
    }
    String word = WORDS.get(key);
    if (word != null && text.equalsIgnoreCase(word)) {
      return word;
    }
    if (template instanceof JsonArray) {
      // A list is comma-separated in its variable: "10.0.0.1:5701, 10.0.0.2:5701"; empty means none.
      JsonArray list = new JsonArray();
      for (String entry : text.split(",")) {
        if (!entry.isBlank()) {
          list.add(entry.trim());
        }
      }
      return list;
    }
    if (template instanceof Number || word != null) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new ConfigException(where, "must be a whole number" + (word != null ? " or \"" + word + "\"" : "")
            + ", got '" + raw + "'");
      }
    }
    return template == null ? text : raw; // a secret from a file-backed variable often ends with a newline
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
