package io.example.service.logging;

import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Logback's own errors (a broken appender, say), one line each on stderr. With a listener on its context,
 * logback no longer runs its status printer at start, whose date formatter loads about 60 java.time
 * classes before the service's first line.
 */
final class LogbackErrors implements StatusListener {

  @Override
  public void addStatusEvent(Status status) {
    if (status.getLevel() == Status.ERROR) {
      System.err.println("logback: " + status.getMessage());
    }
  }
}
