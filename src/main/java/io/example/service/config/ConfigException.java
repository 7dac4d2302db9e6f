package io.example.service.config;

/**
 * A configuration or usage problem, reported as one line that names the key and the problem.
 * It never carries a stack trace: at the edge it becomes a line on stderr and exit code 2.
 */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String problem) {
    super(oneLine(key + ": " + problem), null, false, false);
    this.key = key;
  }

  /** Keys, paths and values come from the user and may hold line breaks; the message must stay one line. */
  private static String oneLine(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }

  /** The key (like {@code http.port}), variable or argument that is wrong. */
  public String key() {
    return key;
  }
}
