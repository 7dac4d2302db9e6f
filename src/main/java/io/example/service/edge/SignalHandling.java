package io.example.service.edge;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The one place for signals. SIGTERM and SIGINT are handled here instead of through JVM shutdown hooks,
 * which would end the process with 143 or 130 instead of the contract's 0 (docs/vertx-behaviour.md, signals).
 * The first signal starts the graceful stop; a second one, of either kind, forces the end.
 */
final class SignalHandling {

  private static final Logger log = LoggerFactory.getLogger(SignalHandling.class);

  private final AtomicInteger received = new AtomicInteger();
  private final Consumer<StopSignal> gracefulStop;
  private final Consumer<StopSignal> forcedStop;

  private SignalHandling(Consumer<StopSignal> gracefulStop, Consumer<StopSignal> forcedStop) {
    this.gracefulStop = gracefulStop;
    this.forcedStop = forcedStop;
  }

  public static void install(Consumer<StopSignal> gracefulStop, Consumer<StopSignal> forcedStop) {
    SignalHandling handling = new SignalHandling(gracefulStop, forcedStop);
    for (StopSignal signal : StopSignal.values()) {
      SignalHandler previous = Signal.handle(new Signal(signal.shortName), ignored -> handling.received(signal));
      if (previous == SignalHandler.SIG_IGN) {
        // The JVM keeps a signal that was ignored when it started ignored: `cmd &` in a script does that to INT.
        log.warn("{} was ignored by the parent process, so it will not stop the service", signal);
      }
    }
  }

  private void received(StopSignal signal) {
    if (received.incrementAndGet() == 1) {
      log.info("signal received: {}, shutting down gracefully", signal);
      gracefulStop.accept(signal);
    } else {
      log.warn("signal received again: {}, halting now", signal);
      forcedStop.accept(signal);
    }
  }
}
