package io.example.service.edge;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.example.service.lifecycle.Termination;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Ends the process, once: whichever of the normal end, the deadline guard or a second signal comes first
 * prints the summary line, and the others do nothing. The summary is always the last line: logging is
 * stopped right after it, before the JVM goes.
 */
final class ProcessExit {

  private static final Marker SUMMARY = MarkerFactory.getMarker("SUMMARY");

  private final AtomicBoolean claimed = new AtomicBoolean();

  /** Normal end, from the main thread: no shutdown hook of ours is running, so System.exit cannot block. */
  public void exit(Termination termination, long sinceNanos) {
    if (finish(termination, sinceNanos)) {
      System.exit(termination.exit().code());
    }
  }

  /**
   * Forced end: Runtime.halt, because System.exit blocks forever when a shutdown hook is what we are
   * cutting short (the Runtime.exit Javadoc says so), and because nothing left running deserves to finish.
   */
  public void halt(Termination termination, long sinceNanos) {
    if (finish(termination, sinceNanos)) {
      Runtime.getRuntime().halt(termination.exit().code());
    }
  }

  private boolean finish(Termination termination, long sinceNanos) {
    if (!claimed.compareAndSet(false, true)) {
      return false;
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
    LoggerContext logback = LoggerFactory.getILoggerFactory() instanceof LoggerContext c ? c : null;
    if (logback != null) {
      // Other threads may still be logging (a halt cuts them short): from here on only the summary passes.
      logback.addTurboFilter(new OnlySummary());
    }
    summary(termination, tookMs);
    if (logback != null) {
      logback.stop(); // flushes and closes every appender
    }
    System.out.flush();
    System.err.flush();
    return true;
  }

  /**
   * The line itself, with {@code reason}, {@code exit}, {@code took_ms} (and {@code busy}) as key-value pairs: a
   * JSON log carries them as fields, the text line does not show them. Built without the fluent API's level
   * check, which asks the turbo filters without the marker, and OnlySummary would refuse it.
   */
  private static void summary(Termination termination, long tookMs) {
    LoggingEventBuilder line = LoggerFactory.getLogger(ProcessExit.class).makeLoggingEventBuilder(Level.INFO)
        .addMarker(SUMMARY)
        .addKeyValue("reason", termination.reason())
        .addKeyValue("exit", termination.exit().code())
        .addKeyValue("took_ms", tookMs);
    if (!termination.busy().isEmpty()) {
      line.addKeyValue("busy", String.join(",", termination.busy()));
    }
    line.log(termination.summary(tookMs));
  }

  private static final class OnlySummary extends TurboFilter {
    @Override
    public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, ch.qos.logback.classic.Level level,
                              String format, Object[] params, Throwable t) {
      return marker == SUMMARY ? FilterReply.ACCEPT : FilterReply.DENY;
    }
  }
}
