package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.metrics.MetricsSetup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main mode: starts Vert.x and the supervisor, waits on this (the main) thread for the first reason
 * to stop to have run its course, then closes Vert.x and ends the process through the {@link ProcessEdge}.
 */
final class ServiceRunner {

  private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

  private final ServiceConfig config;
  private final ProcessEdge edge = new ProcessEdge();

  ServiceRunner(ServiceConfig config) {
    this.config = config;
  }

  /** Runs the service until it stops, and ends the process; a forced end halts the JVM before. */
  void run(long startNanos) throws InterruptedException {
    ClusterNode cluster = config.cluster().enabled() ? ClusterNode.create(config) : null;
    Vertx vertx = cluster == null ? MetricsSetup.vertxBuilder(config, new VertxOptions()).build()
        : clustered(cluster, startNanos);
    ServiceStatus status = new ServiceStatus();
    SupervisorVerticle service = new SupervisorVerticle(config, status, cluster);
    Supervisor supervisor = service.supervisor();
    edge.watch(supervisor);
    CompletableFuture<Termination> failedStart = new CompletableFuture<>();
    vertx.deployVerticle(service)
        .onSuccess(id -> {
          if (status.state() == ServiceStatus.State.READY) { // not when a signal came during the start
            log.info("service ready in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
          }
        })
        .onFailure(cause -> failedStart.complete(Termination.deployFailure(
            cause instanceof DeployFailure failed ? failed.component() : "supervisor")));
    Termination termination = firstOf(supervisor.stopped(), failedStart);
    if (termination == failedStart.getNow(null) && supervisor.deadline() == null) {
      // The supervisor has undone the start; closing Vert.x is all that is left, and it has a deadline too.
      log.info("stopping: reason={}, deadline in {} ms", termination.reason(), config.shutdown().timeoutMs());
      edge.arm(termination, Deadline.in(config.shutdown().timeoutMs()));
    }
    edge.closeAndExit(vertx, termination);
  }

  /**
   * Vert.x as a member of the cluster: it has joined one, or formed its own, within startup.timeoutMs.
   * Otherwise (its port taken, an address it cannot bind, no cluster in time) the start has failed.
   */
  private Vertx clustered(ClusterNode cluster, long startNanos) throws InterruptedException {
    long timeoutMs = config.startup().timeoutMs();
    edge.haltOnSignals();
    try {
      return MetricsSetup.vertxBuilder(config, cluster.vertxOptions()).withClusterManager(cluster.manager())
          .buildClustered()
          .toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.error("cluster did not start within {} ms (startup.timeoutMs)", timeoutMs);
    } catch (ExecutionException e) {
      log.error("cluster failed to start: {}", String.valueOf(e.getCause()));
    }
    edge.halt(Termination.deployFailure("cluster"), startNanos);
    throw new IllegalStateException("unreachable: the process has been halted");
  }

  /** Bounded: a stop has a deadline guard, and a start has startup.timeoutMs. */
  private static Termination firstOf(CompletableFuture<Termination> a, CompletableFuture<Termination> b)
      throws InterruptedException {
    try {
      return (Termination) CompletableFuture.anyOf(a, b).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
