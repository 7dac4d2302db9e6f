package io.example.service.lifecycle;

/** How a failure is named in a log line: its message, or its type when it has none (no stack trace). */
final class Causes {

  private Causes() {}

  static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
