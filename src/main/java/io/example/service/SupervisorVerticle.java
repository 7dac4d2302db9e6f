package io.example.service;

import io.example.service.config.ConfigLoader;
import io.example.service.config.ServiceConfig;
import io.example.service.http.ConnectionTracker;
import io.example.service.http.HttpDrain;
import io.example.service.http.HttpVerticle;
import io.example.service.http.RequestGate;
import io.example.service.http.RequestLimits;
import io.example.service.lifecycle.DeadlineGuard;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ProcessExit;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.StopSequence;
import io.example.service.lifecycle.Termination;
import io.example.service.worker.Job;
import io.example.service.worker.WorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the worker and the HTTP component, and keeps the service's promise: the first component to
 * exit stops all the others, the stop ends only when all have stopped, and the first cause is reported.
 *
 * <p>It never ends the process. It reports why it stopped through {@link #failure()}; the process edge
 * ({@link ServiceRunner}) maps that to an exit code. Embedded in a test's Vert.x it exits nothing.
 */
public final class SupervisorVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(SupervisorVerticle.class);

  private final ServiceStatus status;
  private final boolean standalone;
  private final Promise<String> failure = Promise.promise();
  private ServiceConfig config;
  private StopSequence stopSequence;
  private Future<Void> shutdown;
  private boolean ready; // guarded by this

  /**
   * For {@code vertx run} and {@code io.vertx.core.Launcher}: the configuration comes from {@code -conf}
   * and {@code SERVICE_*} variables, and a runtime failure closes Vert.x so that the process ends.
   */
  public SupervisorVerticle() {
    this(null, new ServiceStatus(), true);
  }

  SupervisorVerticle(ServiceConfig config, ServiceStatus status) {
    this(config, status, false);
  }

  private SupervisorVerticle(ServiceConfig config, ServiceStatus status, boolean standalone) {
    this.config = config;
    this.status = status;
    this.standalone = standalone;
  }

  @Override
  public Future<?> start() {
    if (config == null) {
      // The launcher is this mode's edge: read the environment here, once.
      config = ConfigLoader.fromJson(config(), System.getenv());
    }
    stopSequence = new StopSequence(List.of(HttpVerticle.NAME, WorkerVerticle.NAME),
        config.shutdown().timeoutMs(), this::boundJvmShutdown);
    ConnectionTracker connections = new ConnectionTracker();
    RequestGate gate = new RequestGate(status, new RequestLimits(config.http().maxBodyBytes()), connections);
    HttpDrain drain = new HttpDrain(status, gate, connections, config.http().host(),
        config.shutdown().drainDelayMs(), stopSequence::boundMs);
    // Both start at once; the service is ready when both are (join, not all: VERTX5-FACTS Q3).
    Future<String> worker = deploy(WorkerVerticle.NAME, 1, () -> new WorkerVerticle(config, status, stopSequence,
        Job.simulated(config.worker().jobMs()), cause -> componentFailed(WorkerVerticle.NAME, cause)));
    int instances = config.http().instanceCount();
    Future<String> http = deploy(HttpVerticle.NAME, instances, () -> new HttpVerticle(config, status, gate, drain,
        stopSequence, cause -> componentFailed(HttpVerticle.NAME, cause)));
    return Future.join(worker, http).transform(ar -> {
      if (ar.failed()) {
        boolean workerFailed = worker.failed();
        return rollBack(workerFailed ? WorkerVerticle.NAME : HttpVerticle.NAME,
            workerFailed ? worker.cause() : http.cause(), worker, http);
      }
      if (!becomeReady()) {
        return rollBack(failure.future().result(), new IllegalStateException("failed while starting"), worker, http);
      }
      log.info("http listening on {}:{} ({} instances)", config.http().host(), status.httpPort(), instances);
      status.ready();
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<?> stop() {
    // Vert.x has already stopped every child, in order, through the stop sequence (see StopSequence).
    log.info("all components stopped");
    return Future.succeededFuture();
  }

  /** Completes with the name of the first component that failed at runtime; the others are then stopping. */
  Future<String> failure() {
    return failure.future();
  }

  /**
   * Stops every component in order, then undeploys the supervisor. Safe from any thread, any number
   * of times: every caller gets the same stop.
   */
  synchronized Future<Void> shutdown() {
    if (shutdown == null) {
      // Someone else (a launcher's vertx.close()) may already be stopping us: join that stop instead.
      shutdown = stopSequence.begun() ? stopSequence.finished(context) : vertx.undeploy(deploymentID());
    }
    return shutdown;
  }

  /** Components still stopping, or cut off, at the deadline; empty if none. */
  String busy() {
    return stopSequence == null ? "" : stopSequence.busy();
  }

  private Future<String> deploy(String name, int instances, Supplier<VerticleBase> component) {
    return vertx.deployVerticle(component, new DeploymentOptions().setInstances(instances))
        .onFailure(cause -> log.error("{} failed to start: {}", name, describe(cause)));
  }

  /** Undeploys, in stop order, whatever started, then fails the start naming the failed component. */
  private Future<Void> rollBack(String failed, Throwable cause, Future<String> worker, Future<String> http) {
    if (http.failed()) {
      stopSequence.skip(HttpVerticle.NAME);
    }
    return Future.join(undeploy(HttpVerticle.NAME, http), undeploy(WorkerVerticle.NAME, worker))
        .transform(ignored -> Future.failedFuture(new DeployFailure(failed, cause)));
  }

  private Future<Void> undeploy(String name, Future<String> deployment) {
    if (deployment.failed()) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(deployment.result())
        .andThen(ar -> log.info("{} undeployed after a failed start", name));
  }

  /** False if a component failed while starting: then the start fails instead. */
  private synchronized boolean becomeReady() {
    ready = !failure.future().isComplete();
    return ready;
  }

  private void componentFailed(String component, Throwable cause) {
    boolean first;
    boolean running;
    synchronized (this) {
      first = failure.tryComplete(component);
      running = ready;
    }
    if (!first) {
      log.warn("{} also failed: {}", component, describe(cause));
      return;
    }
    if (!running) {
      // Still starting: the start fails at its end and is reported as a deploy failure.
      log.error("{} failed while the service was starting: {}", component, describe(cause));
      return;
    }
    log.error("{} failed: {}; stopping all components", component, describe(cause));
    // On our own context: a failure right as the start completes must not undeploy us before Vert.x
    // has registered the deployment that the start completes.
    context.runOnContext(ignored -> {
      Future<Void> stopped = shutdown();
      if (standalone) {
        stopped.onComplete(done -> vertx.close());
      }
    });
  }

  /**
   * When a launcher's JVM shutdown hook is what closes Vert.x, nothing else bounds the stop: the hook waits
   * up to 2 minutes (VERTX5-FACTS Q5). Then the deadline guard halts the process at the deadline.
   */
  private void boundJvmShutdown() {
    if (DeadlineGuard.jvmIsShuttingDown()) {
      long beganNanos = System.nanoTime();
      DeadlineGuard.arm(config.shutdown().timeoutMs(),
          () -> new ProcessExit().halt(Termination.deadline(busy()), beganNanos));
    }
  }

  static String describe(Throwable cause) {
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
