package io.example.service.worker;

import io.example.service.config.ServiceConfig;
import io.example.service.lifecycle.ActiveRole;
import io.example.service.lifecycle.Deadline;
import io.example.service.lifecycle.DeployedComponent;
import io.example.service.lifecycle.PartStatus;
import io.vertx.core.Deployable;
import io.vertx.core.Future;

/**
 * The worker component: one {@link WorkerVerticle}. Its jobs begin once the whole service is ready; its
 * step in the stop lets the running job finish.
 */
public final class WorkerComponent extends DeployedComponent {

  public static final String NAME = "worker";

  private final ServiceConfig config;
  private final WorkerState state;
  private final Job job;
  private final ActiveRole role;
  private volatile WorkerVerticle verticle;

  /** Alone: this process runs every job. */
  public WorkerComponent(ServiceConfig config, Job job) {
    this(config, job, ActiveRole.alone(config.worker().intervalMs()));
  }

  /** @param role when this process runs the jobs: in a cluster, only while it holds the lease */
  public WorkerComponent(ServiceConfig config, Job job, ActiveRole role) {
    super(NAME, 1);
    this.config = config;
    this.job = job;
    this.role = role;
    this.state = new WorkerState(role::active);
  }

  /** The worker's jobs as {@code /status} and {@code /metrics} show them. */
  public PartStatus state() {
    return state;
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
    // The verticle's stop waits for the plan's step; a crash of its own stops the whole service.
    verticle = new WorkerVerticle(config, state, job, role, this::instanceStopping, this::failed);
    return verticle;
  }
}
