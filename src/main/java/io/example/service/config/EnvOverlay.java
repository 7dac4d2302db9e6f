package io.example.service.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The {@code SERVICE_*} environment, the last layer of the config: a key's variable name, and its text read as
 * the type of the key's default. Apart from {@link ConfigLoader} because a variable is text, where the JSON
 * layers already carry their types: this is the one place that turns text into booleans, numbers and lists.
 */
final class EnvOverlay {

  private EnvOverlay() {}

  /** The environment variable for a key: {@code shutdown.drainDelayMs} -> {@code SERVICE_SHUTDOWN_DRAIN_DELAY_MS}. */
  static String envName(String key) {
    StringBuilder name = new StringBuilder(ConfigLoader.ENV_PREFIX);
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

  /** Overrides each key of {@code target} whose variable is set, and marks it as from the environment. */
  static void overlay(JsonObject target, String prefix, Map<String, String> env,
                      Map<String, Source> sources) {
    for (String name : target.fieldNames()) {
      String key = prefix + name;
      Object current = target.getValue(name);
      if (current instanceof JsonObject section) {
        overlay(section, key + ".", env, sources);
        continue;
      }
      String raw = env.get(envName(key));
      if (raw != null) {
        target.put(name, parse(key, current, raw));
        sources.put(key, Source.ENV);
      }
    }
  }

  /** The variable's text as the type of the key's default; every problem names the variable and the key. */
  private static Object parse(String key, Object template, String raw) {
    String where = envName(key) + " (" + key + ")";
    String text = raw.trim();
    if (template instanceof Boolean) {
      if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
        throw new ConfigException(where, "must be true or false, got '" + raw + "'");
      }
      return Boolean.parseBoolean(text);
    }
    String word = ConfigLoader.WORDS.get(key);
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
}
