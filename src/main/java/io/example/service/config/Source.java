package io.example.service.config;

import java.util.Locale;

/** Where a key's value in force came from. {@code --print-config} shows it per key, in lower case. */
public enum Source {
  /** The built-in default. */
  DEFAULT,
  /** The {@code -conf} argument: a file or inline JSON. */
  FILE,
  /** The key's {@code SERVICE_*} environment variable. */
  ENV,
  /** The value was {@code "auto"} (by default, in the file or in the variable) and was resolved at start. */
  AUTO;

  /** As printed: {@code default}, {@code file}, {@code env}, {@code auto}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
