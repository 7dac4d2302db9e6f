package io.example.service;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.DeadlineGuard;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ProcessExit;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.SignalHandling;
import io.example.service.lifecycle.StopSignal;
import io.example.service.lifecycle.Termination;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the service in this process until it stops, and says why: starts Vert.x and the supervisor, turns
 * the first reason to stop (a signal, a component failure, a failed start) into one ordered shutdown
 * bounded by {@code shutdown.timeoutMs}, and closes Vert.x.
 */
public final class ServiceRunner {

  private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

  private final ServiceConfig config;
  private final ProcessExit processExit;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Termination> stopped = new CompletableFuture<>();
  private volatile long stopBeganNanos;
  private volatile DeadlineGuard guard;
  private Vertx vertx;
  private SupervisorVerticle supervisor;
  private Future<String> deployed;

  ServiceRunner(ServiceConfig config, ProcessExit processExit) {
    this.config = config;
    this.processExit = processExit;
  }

  /** Blocks until the service has stopped and Vert.x is closed; a forced end halts the JVM before. */
  Termination run(long startNanos) throws InterruptedException {
    vertx = Vertx.vertx();
    supervisor = new SupervisorVerticle(config, new ServiceStatus());
    deployed = vertx.deployVerticle(supervisor);
    // After `deployed` exists: a signal during the start waits for the start to settle, then stops.
    SignalHandling.install(signal -> stop(Termination.signal(signal)), this::forcedStop);
    deployed.onSuccess(id -> {
      log.info("service ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      supervisor.failure().onSuccess(component -> stop(Termination.failure(component)));
    }).onFailure(cause -> stop(cause instanceof DeployFailure failed
        ? Termination.deployFailure(failed.component()) : Termination.deployFailure("supervisor")));
    Termination reason = await(stopped);
    // Closed from this thread, which has no Vert.x context: a continuation on an event loop would be
    // dispatched to a loop that close() has just shut down.
    long closeNanos = System.nanoTime();
    await(vertx.close().toCompletionStage().toCompletableFuture());
    guard.disarm();
    log.info("vert.x closed in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeNanos));
    String busy = supervisor.busy();
    return busy.isEmpty() ? reason : Termination.deadline(busy);
  }

  /** When the stop began: the summary's {@code took} counts from here. */
  long stopBeganNanos() {
    return stopBeganNanos;
  }

  /** The first reason wins; the stop it starts is the only one. */
  private void stop(Termination reason) {
    if (!stopping.compareAndSet(false, true)) {
      log.info("already stopping; {} changes nothing", reason.reason());
      return;
    }
    stopBeganNanos = System.nanoTime();
    long timeoutMs = config.shutdown().timeoutMs();
    log.info("stopping: reason={}, deadline in {} ms", reason.reason(), timeoutMs);
    guard = DeadlineGuard.arm(timeoutMs, () -> {
      String busy = supervisor.busy();
      log.warn("shutdown deadline of {} ms passed; still busy: {}", timeoutMs, busy.isEmpty() ? "Vert.x close" : busy);
      processExit.halt(Termination.deadline(busy), stopBeganNanos);
    });
    // A stop that arrives while the service is still starting waits for the start to settle first.
    deployed.transform(ar -> ar.succeeded() ? supervisor.shutdown() : Future.succeededFuture())
        .onComplete(ignored -> stopped.complete(reason));
  }

  private static <T> T await(CompletableFuture<T> future) throws InterruptedException {
    try {
      return future.get(); // bounded: the deadline guard halts the process if this takes too long
    } catch (ExecutionException e) {
      return null; // a failed close still ends the process; the summary says why it stopped
    }
  }

  private void forcedStop(StopSignal signal) {
    long since = stopBeganNanos == 0 ? System.nanoTime() : stopBeganNanos;
    processExit.halt(Termination.forced(signal), since);
  }
}
