package io.example.service.lifecycle;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A component that is one deployment of verticle instances. It tells an undeploy by the stop plan from
 * one by anybody else: Vert.x gives a parent no notice when a child is undeployed (the child undeploys
 * itself, a library does it, or Vert.x is closing and undeploys every child at once, in parallel), so
 * each instance's {@code stop()} asks {@link #instanceStopping()}, which reports the second kind to the
 * supervisor and holds the undeploy until the plan has carried out this component's step.
 */
public abstract class DeployedComponent implements Component {

  private final String name;
  private final int instances;
  private Vertx vertx;
  private Supervision supervision;
  private String deploymentId; // guarded by this, as are the fields below
  private boolean undeployedByPlan;
  private boolean abandoned;
  private Future<Void> stoppedOutsidePlan;

  protected DeployedComponent(String name, int instances) {
    this.name = name;
    this.instances = instances;
  }

  /** A new verticle instance; called once per instance by Vert.x. */
  protected abstract Deployable newInstance();

  @Override
  public final String name() {
    return name;
  }

  @Override
  public Future<Void> start(Vertx vertx, Supervision supervision) {
    this.vertx = vertx;
    this.supervision = supervision;
    return vertx.deployVerticle(this::newInstance, new DeploymentOptions().setInstances(instances))
        .map(id -> {
          deployed(id);
          return null;
        });
  }

  @Override
  public final Future<Void> undeploy() {
    String id;
    synchronized (this) {
      if (deploymentId == null) {
        abandoned = true; // still starting (the start timed out): undeploy it if it ever completes
        return Future.succeededFuture();
      }
      if (stoppedOutsidePlan != null) {
        return Future.succeededFuture(); // whoever began that undeploy finishes it
      }
      undeployedByPlan = true;
      id = deploymentId;
    }
    return vertx.undeploy(id);
  }

  /** For each instance's {@code stop()}: completes when the instance may go on stopping. */
  protected final synchronized Future<Void> instanceStopping() {
    if (undeployedByPlan || deploymentId == null) {
      // The plan's own undeploy, or Vert.x rolling back a start that failed: nothing to wait for.
      return Future.succeededFuture();
    }
    if (stoppedOutsidePlan == null) {
      stoppedOutsidePlan = supervision.stoppedOutsidePlan(name);
    }
    return stoppedOutsidePlan;
  }

  /** For the instances: a runtime failure, which stops the whole service. */
  protected final void failed(Throwable cause) {
    supervision.failed(name, cause);
  }

  protected final Vertx vertx() {
    return vertx;
  }

  private void deployed(String id) {
    boolean late;
    synchronized (this) {
      deploymentId = id;
      late = abandoned;
      undeployedByPlan = late;
    }
    if (late) {
      vertx.undeploy(id);
    }
  }
}
