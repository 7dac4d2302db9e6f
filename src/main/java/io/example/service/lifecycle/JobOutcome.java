package io.example.service.lifecycle;

import java.util.Locale;

/** How a job ended: {@code ok}, {@code failed}, or {@code timeout} (given up at {@code worker.jobTimeoutMs}). */
public enum JobOutcome {
  OK, FAILED, TIMEOUT;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The name in /status ({@code worker.lastJobOutcome}) and the {@code outcome} label of the job counter. */
  public String label() {
    return label;
  }
}
