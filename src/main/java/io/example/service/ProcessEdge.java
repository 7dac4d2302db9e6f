package io.example.service;

import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeadlineGuard;
import io.example.service.lifecycle.ProcessExit;
import io.example.service.lifecycle.SignalHandling;
import io.example.service.lifecycle.StopSignal;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ends the process, in both launch modes (our {@link Main}, and the stock launcher): signals start
 * the supervisor's stop, the stop's deadline arms a guard that halts the process when it passes, and
 * once the components have stopped, Vert.x is closed and the process exits with the reason's code.
 */
final class ProcessEdge {

  private static final Logger log = LoggerFactory.getLogger(ProcessEdge.class);

  private final ProcessExit processExit = new ProcessExit();
  private volatile Supervisor supervisor;
  private volatile Deadline deadline;
  private volatile DeadlineGuard guard;

  /** Signals stop {@code supervisor}; when its stop begins, from wherever, the guard is armed. */
  void watch(Supervisor supervisor) {
    this.supervisor = supervisor;
    supervisor.onStop(this::arm);
    SignalHandling.install(signal -> supervisor.stop(Termination.signal(signal)), this::forcedStop);
  }

  /**
   * Before there is anything to stop (Vert.x still joining its cluster): a signal ends the process at
   * once, as a clean stop, and a second one as a forced one. {@link #watch} replaces this.
   */
  void haltOnSignals() {
    SignalHandling.install(signal -> processExit.halt(Termination.signal(signal), System.nanoTime()), this::forcedStop);
  }

  /** Bounds a stop that did not go through the supervisor's plan (a failed start) by its own deadline. */
  void arm(Termination reason, Deadline deadline) {
    this.deadline = deadline;
    this.guard = DeadlineGuard.arm(deadline, () -> {
      var busy = supervisor.busy();
      log.warn("shutdown deadline of {} ms passed; still busy: {}", deadline.timeoutMs(),
          busy.isEmpty() ? "Vert.x close" : String.join(",", busy));
      processExit.halt(reason.atDeadline(busy), deadline.beganNanos());
    });
  }

  /**
   * Closes Vert.x and ends the process. Call it from a thread that is not Vert.x's: a continuation on an
   * event loop would be dispatched to a loop that the close has just shut down. The guard bounds the close.
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
    if (DeadlineGuard.jvmIsShuttingDown()) {
      processExit.halt(termination, since); // System.exit would block forever inside a shutdown hook
    } else {
      processExit.exit(termination, since);
    }
  }

  /** Ends the process at once, from any thread: a start that failed, a config that cannot be used. */
  void halt(Termination termination, long sinceNanos) {
    processExit.halt(termination, sinceNanos);
  }

  private void forcedStop(StopSignal signal) {
    Deadline current = deadline;
    processExit.halt(Termination.forced(signal), current == null ? System.nanoTime() : current.beganNanos());
  }
}
