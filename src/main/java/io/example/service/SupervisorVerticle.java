package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.config.ConfigException;
import io.example.service.config.ConfigLoader;
import io.example.service.config.ConfigReport;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ExitCode;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.example.service.logging.ConsoleLogging;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

/**
 * The service as one verticle: its {@link Supervisor} starts the components of {@link ServiceComponents} and
 * stops them, in order, within one deadline. Deployed by {@link ServiceRunner} in the main mode, by the
 * stock launcher ({@code vertx run}) through the public constructor, or by a test's Vert.x.
 *
 * <p>Embedded in a test it never ends the process. Under the stock launcher it is its own process edge,
 * so that this mode keeps the same promises as the main mode: see {@link StockLauncher}.
 */
public final class SupervisorVerticle extends VerticleBase {

  private final ServiceStatus status;
  private final ClusterNode cluster; // null unless clustered
  private final boolean ownsTheProcess;
  private final Promise<String> failure = Promise.promise();
  private ServiceConfig config;
  private Supervisor supervisor;
  private Future<Void> shutdown; // guarded by this

  /** For {@code vertx run} and {@code io.vertx.core.Launcher}: the config comes from {@code -conf} and the environment. */
  public SupervisorVerticle() {
    this.status = new ServiceStatus();
    this.cluster = null;
    this.ownsTheProcess = StockLauncher.isMainClass();
  }

  SupervisorVerticle(ServiceConfig config, ServiceStatus status) {
    this(config, status, null);
  }

  /** @param cluster this process's cluster membership, when clustered: Vert.x was built with it */
  SupervisorVerticle(ServiceConfig config, ServiceStatus status, ClusterNode cluster) {
    this.status = status;
    this.cluster = cluster;
    this.ownsTheProcess = false;
    supervise(config);
  }

  @Override
  public Future<?> start() {
    long startNanos = System.nanoTime();
    if (supervisor == null) {
      supervise(launcherConfig(startNanos));
    }
    if (ownsTheProcess) {
      ConsoleLogging.useJson(config.log().json()); // the launcher has logged already, before the config
    }
    ConfigReport.logAtStart(config);
    ProcessEdge edge = ownsTheProcess ? StockLauncher.edge(vertx, supervisor) : null;
    return supervisor.start(vertx).onFailure(cause -> {
      if (edge != null) {
        // Before the launcher sees the failure: it would log a stack trace and exit 0.
        String component = cause instanceof DeployFailure failed ? failed.component() : "supervisor";
        edge.halt(Termination.deployFailure(component), startNanos);
      }
    });
  }

  @Override
  public Future<?> stop() {
    // Vert.x calls this once every component is undeployed; a stop is then under way or over, unless the
    // service had no component left to undeploy.
    Future<Void> stopping = supervisor.stopping();
    return stopping != null ? stopping : supervisor.stop(Termination.requested());
  }

  Supervisor supervisor() {
    return supervisor;
  }

  /** Completes with the name of the component that ended the service (it failed, or stopped on its own). */
  Future<String> failure() {
    return failure.future();
  }

  /** Stops every component in order, then undeploys the supervisor. Every caller gets the same stop. */
  synchronized Future<Void> shutdown() {
    if (shutdown == null) {
      shutdown = supervisor.stop(Termination.requested())
          .compose(stopped -> vertx.undeploy(deploymentID()).otherwiseEmpty());
    }
    return shutdown;
  }

  /** Components still stopping, or cut off, at the deadline, comma-separated; empty if none. */
  String busy() {
    return String.join(",", supervisor.busy());
  }

  private void supervise(ServiceConfig config) {
    this.config = config;
    checkClustering(config);
    this.supervisor = new Supervisor(ServiceComponents.of(config, status, cluster), status,
        config.startup().timeoutMs(), config.startup().warmupMs(), config.shutdown().timeoutMs());
    supervisor.stopBegan().thenAccept(reason -> {
      if (reason.exit() == ExitCode.COMPONENT_FAILED) {
        failure.tryComplete(reason.reason().substring(reason.reason().indexOf(':') + 1));
      }
    });
  }

  /** Clustering needs Vert.x built with our cluster manager and its settings, which only the main mode does. */
  private void checkClustering(ServiceConfig config) {
    if (config.cluster().enabled() && cluster == null) {
      throw new ConfigException("cluster.enabled", "clustering needs the main mode (java -jar service-fat.jar);"
          + " the stock launcher builds Vert.x without our cluster settings");
    }
  }

  /** The launcher is this mode's edge: read the environment here, once. */
  private ServiceConfig launcherConfig(long startNanos) {
    try {
      ServiceConfig loaded = ConfigLoader.fromJson(config(), System.getenv());
      checkClustering(loaded);
      return loaded;
    } catch (ConfigException e) {
      if (ownsTheProcess) {
        System.err.println("config error: " + e.getMessage());
        new ProcessEdge().halt(Termination.config(), startNanos);
      }
      throw e;
    }
  }

}
