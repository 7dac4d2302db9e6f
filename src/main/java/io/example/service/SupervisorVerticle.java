package io.example.service;

import io.example.service.cluster.ClusterNode;
import io.example.service.config.ConfigException;
import io.example.service.config.ConfigReport;
import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.DeployFailure;
import io.example.service.lifecycle.ServiceStatus;
import io.example.service.lifecycle.Supervisor;
import io.example.service.lifecycle.Termination;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The service as one verticle: its {@link Supervisor} starts the components of {@link ServiceComponents} and
 * stops them, in order, within one deadline. It only supervises: whoever owns the process (its
 * {@link ProcessOwner}) reads the config when there is none yet, handles signals and ends the process.
 *
 * <p>Deployed by the process edge in the main mode, by the stock launcher ({@code vertx run}) through the
 * public constructor, or by a test's Vert.x, where it never ends the process.
 */
public final class SupervisorVerticle extends VerticleBase {

  private final ServiceStatus status;
  private final ClusterNode cluster; // null unless clustered
  private final ProcessOwner owner;
  private ServiceConfig config;
  private Supervisor supervisor;

  /** For {@code vertx run} and {@code io.vertx.core.Launcher}: the config comes from {@code -conf} and the environment. */
  public SupervisorVerticle() {
    this.status = new ServiceStatus();
    this.cluster = null;
    this.owner = ProcessOwner.forVerticleCreatedByName();
  }

  /** @param cluster this process's cluster membership, when clustered (Vert.x was built with it); else null */
  public SupervisorVerticle(ServiceConfig config, ServiceStatus status, ClusterNode cluster) {
    this.status = status;
    this.cluster = cluster;
    this.owner = ProcessOwner.NONE;
    supervise(config);
  }

  @Override
  public Future<?> start() {
    if (supervisor == null) { // created by name: the deployment's config, as its owner reads it
      supervise(owner.config(config()));
    }
    ConfigReport.logAtStart(config);
    owner.supervising(vertx, supervisor, config);
    return supervisor.start(vertx).onFailure(cause ->
        owner.startFailed(cause instanceof DeployFailure failed ? failed.component() : "supervisor"));
  }

  @Override
  public Future<?> stop() {
    // Vert.x calls this once every component is undeployed; a stop is then under way or over, unless the
    // service had no component left to undeploy.
    Future<Void> stopping = supervisor.stopping();
    return stopping != null ? stopping : supervisor.stop(Termination.requested());
  }

  /** The supervisor of this service's components; made by the constructor, or by {@link #start()} when created by name. */
  public Supervisor supervisor() {
    return supervisor;
  }

  /** Clustering needs Vert.x built with our cluster manager and its settings, which only the main mode does. */
  public static ConfigException clusteringNeedsTheMainMode() {
    return new ConfigException("cluster.enabled", "clustering needs the main mode (java -jar service-fat.jar);"
        + " the stock launcher builds Vert.x without our cluster settings");
  }

  private void supervise(ServiceConfig config) {
    if (config.cluster().enabled() && cluster == null) {
      throw clusteringNeedsTheMainMode();
    }
    this.config = config;
    this.supervisor = new Supervisor(ServiceComponents.of(config, status, cluster), status,
        config.startup().timeoutMs(), config.startup().warmupMs(), config.shutdown().timeoutMs());
  }
}
