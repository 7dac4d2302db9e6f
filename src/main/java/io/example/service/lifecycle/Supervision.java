package io.example.service.lifecycle;

import io.vertx.core.Future;

/** What a running component tells its supervisor when it ends without being asked to. */
public interface Supervision {

  /** It failed at runtime: the service stops, and this component is named as the reason. */
  void failed(String component, Throwable cause);

  /**
   * It is being undeployed by someone other than the stop plan (it undeployed itself, a library did, or
   * Vert.x is closing): the service stops. Completes once the plan has carried out the component's step,
   * so that its undeploy goes on only then.
   */
  Future<Void> stoppedOutsidePlan(String component);
}
