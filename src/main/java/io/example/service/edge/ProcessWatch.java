package io.example.service.edge;

import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.JvmShutdown;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the process for whatever must end it, in both launch modes: a signal starts the supervisor's stop,
 * the stop's deadline arms a guard that halts the process when it passes, a second signal halts it at once,
 * and {@link #closeAndExit} ends a stop that ran its course. Every end goes through one {@link ProcessExit}.
 */
final class ProcessWatch {

  private static final Logger log = LoggerFactory.getLogger(ProcessWatch.class);

  private final ProcessExit processExit = new ProcessExit();
  private volatile Supervisor supervisor;
  private volatile Deadline deadline;
  private volatile DeadlineGuard guard;

  /**
   * Before there is anything to stop (Vert.x still joining its cluster): a signal ends the process at
   * once, as a clean stop, and a second one as a forced one. {@link #watch} replaces this.
   */
  void haltOnSignals() {
    SignalHandling.install(signal -> processExit.halt(Termination.signal(signal.name()), System.nanoTime()),
        this::forcedStop);
  }

  /** Signals stop {@code supervisor}; when its stop begins, from wherever, its deadline arms the guard. */
  void watch(Supervisor supervisor) {
    this.supervisor = supervisor;
    supervisor.onStop(this::arm);
    SignalHandling.install(signal -> supervisor.stop(Termination.signal(signal.name())), this::forcedStop);
  }

  /**
   * Closes Vert.x and ends the process with {@code termination}'s code and summary. Call it from a thread
   * that is not Vert.x's: a continuation on an event loop would be dispatched to a loop that the close has
   * just shut down. The guard bounds the close.
   */
  void closeAndExit(Vertx vertx, Termination termination) throws InterruptedException {
    long closeNanos = System.nanoTime();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      log.warn("vert.x did not close cleanly: {}", String.valueOf(e.getCause()));
    }
    log.info("vert.x closed in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeNanos));
    if (guard != null) {
      guard.disarm();
    }
    long since = deadline == null ? closeNanos : deadline.beganNanos();
    if (JvmShutdown.inProgress()) {
      processExit.halt(termination, since); // System.exit would block forever inside a shutdown hook
    } else {
      processExit.exit(termination, since);
    }
  }

  /** Ends the process at once, from any thread: a start that failed, a config that cannot be used. */
  void halt(Termination termination, long sinceNanos) {
    processExit.halt(termination, sinceNanos);
  }

  /** The normal end of a process that never started a service (a config error, --help): System.exit. */
  void exit(Termination termination, long sinceNanos) {
    processExit.exit(termination, sinceNanos);
  }

  private void arm(Termination reason, Deadline deadline) {
    this.deadline = deadline;
    this.guard = DeadlineGuard.arm(deadline, () -> {
      var busy = supervisor.busy();
      log.warn("shutdown deadline of {} ms passed; still busy: {}", deadline.timeoutMs(),
          busy.isEmpty() ? "Vert.x close" : String.join(",", busy));
      processExit.halt(reason.atDeadline(busy), deadline.beganNanos());
    });
  }

  private void forcedStop(StopSignal signal) {
    Deadline current = deadline;
    processExit.halt(Termination.forced(signal.name(), signal.forcedExit),
        current == null ? System.nanoTime() : current.beganNanos());
  }
}
