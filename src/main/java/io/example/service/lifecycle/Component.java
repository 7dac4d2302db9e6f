package io.example.service.lifecycle;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One part of the service, as the supervisor sees it: a name, a start and a stop. The supervisor starts
 * the components in the order of its list and stops them in the reverse order; adding a part to the
 * service is adding one entry to that list.
 */
public interface Component {

  /** As in the logs, in {@code /status} and in the summary line: {@code http}, {@code worker}, {@code management}... */
  String name();

  /**
   * Deploys the component; completes once it is ready. A failure or an end on its own, later, is reported
   * to {@code supervision}.
   */
  Future<Void> start(Vertx vertx, Supervision supervision);

  /**
   * Called once every component has started: the service is ready. A component that works on its own
   * (the worker's periodic job) begins that work here, so that a failed start never cuts a job in half.
   */
  default void ready() {
  }

  /**
   * Called once every component has started and before the service says READY, when a warm-up is on
   * ({@code startup.warmupMs}): the component runs its own hot path until it is warm, for at most
   * {@code budgetMs}, and ends at once when {@code interrupted} completes (a stop has begun). What it does
   * then must be counted nowhere: see {@link WarmupTraffic}. Most components have nothing to warm.
   */
  default Future<Void> warmUp(long budgetMs, Future<Void> interrupted) {
    return Future.succeededFuture();
  }

  /**
   * The component's own step of the stop, called once by the stop plan in its turn: the HTTP drain, the
   * worker's running job. It must end by the deadline; the plan cuts it off there.
   */
  Future<Void> drain(Deadline deadline);

  /** Undeploys what {@link #start} deployed, closing its servers and timers. */
  Future<Void> undeploy();
}
