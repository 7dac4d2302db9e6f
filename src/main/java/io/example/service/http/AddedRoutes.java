package io.example.service.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Routes of a team's own, added to the service's route table ({@link Routes}). They sit behind the same gate
 * as {@code GET /}, so they get what it gets for free: the request limits, the HTTP meters, the access log,
 * and the drain (a request in flight when the stop begins completes; the listener then closes).
 */
@FunctionalInterface
public interface AddedRoutes {

  /**
   * Adds the routes to {@code router}. Called once for each HTTP instance, on that instance's event loop,
   * after the service's own routes: a path the service already serves stays the service's.
   */
  void addTo(Router router, Vertx vertx);
}
