package io.example.service.worker;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ActiveRole;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Job} every {@code worker.intervalMs}. The next job is scheduled only when the last one has
 * finished, so jobs never overlap. A job that fails is logged and counted; it does not stop the worker. A job
 * still running at {@code worker.jobTimeoutMs} has hung, and fails the worker (see {@link #timedOut}).
 * Jobs begin with {@link #beginJobs()}, once the service is ready; when the stop plan calls
 * {@link #finishRunningJob()}, no new job starts and the running one finishes.
 */
final class WorkerVerticle extends VerticleBase implements ActiveRole.Jobs {

  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);

  private final ServiceConfig.Worker config;
  private final ServiceConfig.Simulate simulate;
  private final WorkerState state;
  private final Job job;
  private final ActiveRole role;
  private final Supplier<Future<Void>> stopped;
  private final Consumer<Throwable> crashed;

  // Touched only on this verticle's event loop.
  private long timerId = -1;
  private long jobsStarted;
  private Future<Void> running; // settles at the running job's end or its timeout (TimedRun); never fails
  private boolean stopping;

  /**
   * @param stopped completes when the stop plan's step for the worker has finished (see {@link #stop()})
   * @param crashed stops the whole service: the worker has failed
   */
  WorkerVerticle(ServiceConfig config, WorkerState state, Job job, ActiveRole role, Supplier<Future<Void>> stopped,
                 Consumer<Throwable> crashed) {
    this.config = config.worker();
    this.simulate = config.simulate();
    this.state = state;
    this.job = job;
    this.role = role;
    this.stopped = stopped;
    this.crashed = crashed;
  }

  @Override
  public Future<?> start() {
    if (simulate.workerStartFailure()) {
      return Future.failedFuture("simulated start failure (simulate.workerStartFailure)");
    }
    if (simulate.workerStartHangs()) {
      log.warn("worker start never completes (simulate.workerStartHangs)");
      return Promise.promise().future();
    }
    log.info("worker started: a {} ms job every {} ms, job timeout {} ms", config.jobMs(), config.intervalMs(),
        config.jobTimeoutMs());
    return Future.succeededFuture();
  }

  /**
   * Alone, the first job starts one interval from now; in a cluster, once this member is the active one.
   * From any thread; nothing happens once stopping.
   */
  void beginJobs() {
    context.runOnContext(ignored -> {
      if (!stopping) {
        role.campaign(vertx, this);
      }
    });
  }

  @Override
  public void begin(long firstDelayMs) {
    if (!stopping && timerId == -1 && running == null) {
      schedule(firstDelayMs);
    }
  }

  @Override
  public Future<Void> halt() {
    cancelTimer();
    return running == null ? Future.succeededFuture() : running;
  }

  @Override
  public Future<?> stop() {
    // Finishing the job is the stop plan's step; this waits for it only when someone else undeploys us.
    return stopped.get();
  }

  /** No new job starts; completes when the running one, if any, has finished. From any thread. */
  Future<Void> finishRunningJob() {
    Promise<Void> finished = Promise.promise();
    context.runOnContext(ignored -> finishOnContext().onComplete(finished));
    return finished.future();
  }

  private void schedule(long delayMs) {
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> runJob());
  }

  private void runJob() {
    timerId = -1;
    if (!role.mayRun()) {
      return; // stepped down; the role begins the jobs again if this member becomes active again
    }
    role.jobStarting(System.currentTimeMillis());
    long number = ++jobsStarted;
    long startNanos = System.nanoTime();
    state.jobStarted();
    Future<?> current;
    try {
      current = job.run(vertx, role.fencingToken());
    } catch (RuntimeException e) {
      current = Future.failedFuture(e);
    }
    TimedRun run = new TimedRun(vertx, number, config.jobTimeoutMs());
    running = run.settled(); // before the watch: a job that has already ended is handled at once
    run.watch(current, result -> jobDone(number, startNanos, result), () -> timedOut(number, startNanos));
  }

  /**
   * A hung job (a remote call that never answers): waiting, the worker would run nothing while every probe says
   * all is well. It is given up and the worker fails. The lease goes at once, so that another member takes over;
   * whatever the hung job still does carries this member's fencing token, lower than the new holder's.
   */
  private void timedOut(long number, long startNanos) {
    running = null;
    state.jobTimedOut(System.nanoTime() - startNanos);
    stopping = true;
    cancelTimer();
    role.handOver();
    crashed.accept(new IllegalStateException("background job #" + number + " still running at its timeout of "
        + config.jobTimeoutMs() + " ms (worker.jobTimeoutMs)"));
  }

  private void jobDone(long number, long startNanos, AsyncResult<?> result) {
    running = null;
    long tookNanos = System.nanoTime() - startNanos;
    long tookMs = TimeUnit.NANOSECONDS.toMillis(tookNanos);
    state.jobFinished(result.succeeded(), tookNanos);
    if (result.succeeded()) {
      log.info("background job #{} done in {} ms", number, tookMs);
    } else {
      log.warn("background job #{} failed after {} ms: {}", number, tookMs, String.valueOf(result.cause()));
    }
    if (stopping) {
      return;
    }
    int failAfter = simulate.workerFailAfterJobs();
    if (failAfter > 0 && number >= failAfter) {
      stopping = true;
      crashed.accept(new IllegalStateException(
          "simulated crash after " + number + " jobs (simulate.workerFailAfterJobs)"));
      return;
    }
    int undeployAfter = simulate.workerUndeploysAfterJobs();
    if (undeployAfter > 0 && number >= undeployAfter) {
      log.warn("worker undeploying itself after {} jobs (simulate.workerUndeploysAfterJobs)", number);
      vertx.undeploy(deploymentID());
      return;
    }
    if (role.active()) {
      // Keep the rhythm of a ticker: the next job starts intervalMs after this one started.
      schedule(config.intervalMs() - tookMs);
    }
  }

  private Future<Void> finishOnContext() {
    stopping = true;
    cancelTimer();
    Future<Void> last = running == null ? Future.succeededFuture() : running;
    if (running != null) {
      log.info("worker waiting for job #{} to finish", jobsStarted);
    }
    // Only once the last job has finished (or was given up) may another member have the lease.
    return last.compose(ignored -> role.handOver())
        .andThen(ignored -> log.info("worker stopped after {} jobs", state.jobsCompleted()));
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
