package io.example.service.worker;

import java.util.Locale;

/** How a job ended: {@code ok}, {@code failed}, or {@code timeout} (given up at {@code worker.jobTimeoutMs}). */
enum JobOutcome {
  OK, FAILED, TIMEOUT;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The name in /status ({@code worker.lastJobOutcome}) and the {@code outcome} label of the job counter. */
  String label() {
    return label;
  }
}
