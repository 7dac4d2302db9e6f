package io.example.service.worker;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ActiveRole;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeployedComponent;
import io.example.service.lifecycle.ServiceStatus;
import io.vertx.core.Deployable;
import io.vertx.core.Future;

/**
 * The worker component: one {@link WorkerVerticle}. Its jobs begin once the whole service is ready; its
 * step in the stop lets the running job finish.
 */
public final class WorkerComponent extends DeployedComponent {

  public static final String NAME = "worker";

  private final ServiceConfig config;
  private final ServiceStatus status;
  private final Job job;
  private final ActiveRole role;
  private volatile WorkerVerticle verticle;

  /** Alone: this process runs every job. */
  public WorkerComponent(ServiceConfig config, ServiceStatus status, Job job) {
    this(config, status, job, ActiveRole.alone(config.worker().intervalMs()));
  }

  /** @param role when this process runs the jobs: in a cluster, only while it holds the lease */
  public WorkerComponent(ServiceConfig config, ServiceStatus status, Job job, ActiveRole role) {
    super(NAME, 1);
    this.config = config;
    this.status = status;
    this.job = job;
    this.role = role;
    status.workerActive(role::active);
  }

  @Override
  public void ready() {
    WorkerVerticle current = verticle;
    if (current != null) {
      current.beginJobs();
    }
  }

  @Override
  public Future<Void> drain(Deadline deadline) {
    WorkerVerticle current = verticle;
    return current == null ? Future.succeededFuture() : current.finishRunningJob();
  }

  @Override
  protected Deployable newInstance() {
    verticle = new WorkerVerticle(config, status, job, this, role);
    return verticle;
  }

  /** For the verticle's {@code stop()}. */
  Future<Void> instanceStops() {
    return instanceStopping();
  }

  /** For the verticle: a crash, which stops the whole service. */
  void crashed(Throwable cause) {
    failed(cause);
  }
}
